"""The commands besides build: check, serve, new, init, stats, diff, schema and import."""
