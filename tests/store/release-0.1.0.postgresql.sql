-- The schema of Community Copilot 0.1.0 (postgresql), as create_all made it before
-- migrations existed (generated from the commit before them).

CREATE TABLE api_keys (
	id VARCHAR(32) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	community VARCHAR(64) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	name VARCHAR(128) NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	revoked_at TIMESTAMP WITH TIME ZONE, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_api_keys_community ON api_keys (community);

CREATE UNIQUE INDEX ix_api_keys_key_hash ON api_keys (key_hash);

CREATE TABLE chunks (
	community VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	source VARCHAR(512) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	heading TEXT NOT NULL, 
	text TEXT NOT NULL, 
	tokens TEXT NOT NULL, 
	position INTEGER NOT NULL, 
	meta JSON NOT NULL, 
	PRIMARY KEY (community, id)
);

CREATE INDEX ix_chunks_community_source ON chunks (community, source);

CREATE INDEX ix_chunks_source ON chunks (source);

CREATE TABLE community_profiles (
	community VARCHAR(64) NOT NULL, 
	data JSON NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (community)
);

CREATE TABLE connector_inbound_events (
	platform VARCHAR(16) NOT NULL, 
	event_id VARCHAR(256) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	payload JSON NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	error TEXT NOT NULL, 
	PRIMARY KEY (platform, event_id)
);

CREATE INDEX ix_connector_inbound_events_status ON connector_inbound_events (status);

CREATE TABLE connector_kept_values (
	platform VARCHAR(16) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	key VARCHAR(256) NOT NULL, 
	value TEXT NOT NULL, 
	expires_at FLOAT NOT NULL, 
	PRIMARY KEY (platform, kind, key)
);

CREATE INDEX ix_connector_kept_values_expires_at ON connector_kept_values (expires_at);

CREATE TABLE connector_review_queue (
	id SERIAL NOT NULL, 
	community VARCHAR(64) NOT NULL, 
	platform VARCHAR(16) NOT NULL, 
	chat_id VARCHAR(256) NOT NULL, 
	message JSON NOT NULL, 
	draft TEXT NOT NULL, 
	citations JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	edited TEXT, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_connector_review_queue_community ON connector_review_queue (community);

CREATE INDEX ix_connector_review_queue_status ON connector_review_queue (status);

CREATE TABLE connector_routes (
	platform VARCHAR(16) NOT NULL, 
	chat_id VARCHAR(256) NOT NULL, 
	community VARCHAR(64) NOT NULL, 
	mode VARCHAR(16) NOT NULL, 
	admins JSON NOT NULL, 
	operators JSON NOT NULL, 
	capture BOOLEAN NOT NULL, 
	PRIMARY KEY (platform, chat_id)
);

CREATE INDEX ix_connector_routes_community ON connector_routes (community);

CREATE TABLE documents (
	community VARCHAR(64) NOT NULL, 
	source VARCHAR(512) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	chunk_count INTEGER NOT NULL, 
	message_count INTEGER NOT NULL, 
	embedder VARCHAR(128) NOT NULL, 
	ingested_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (community, source)
);

CREATE TABLE faq_candidates (
	community VARCHAR(64) NOT NULL, 
	id VARCHAR(64) NOT NULL, 
	question TEXT NOT NULL, 
	answer TEXT NOT NULL, 
	asker VARCHAR(256) NOT NULL, 
	answerer VARCHAR(256) NOT NULL, 
	asked_times INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (community, id)
);

CREATE TABLE messages (
	community VARCHAR(64) NOT NULL, 
	channel VARCHAR(256) NOT NULL, 
	id VARCHAR(128) NOT NULL, 
	author VARCHAR(256) NOT NULL, 
	author_id VARCHAR(256), 
	ts TIMESTAMP WITH TIME ZONE NOT NULL, 
	text TEXT NOT NULL, 
	reply_to VARCHAR(128), 
	thread VARCHAR(128), 
	is_service BOOLEAN NOT NULL, 
	source VARCHAR(512) NOT NULL, 
	PRIMARY KEY (community, channel, id)
);

CREATE INDEX ix_messages_community_ts ON messages (community, ts);
