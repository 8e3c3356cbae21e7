"""Ingestion: loaders (file → content), chat-export parsers, redaction, chunking, indexing."""
