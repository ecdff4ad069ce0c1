"""Review packs (``.rvpack``): one ZIP file of JSON documents that carries articles,
collections and signed findings between reviewers' libraries. ``reader`` takes a pack as
the untrusted input it is; ``writer`` makes one, whole or not at all."""
