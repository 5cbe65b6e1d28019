"""The sample province: synthetic inboxes, their reference data, and the ingest benchmark."""
