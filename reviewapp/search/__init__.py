"""The whoosh full-text index: derived from the store, rebuildable and checked."""
