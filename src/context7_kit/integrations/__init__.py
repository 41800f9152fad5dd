"""Framework adapters: each subpackage needs its own extra."""
