"""SQL store: the source of truth for documents, chunks, chat messages and app state."""
