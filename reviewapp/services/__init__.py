"""Use cases that keep the store and the index together. The CLI and the GUI call these."""
