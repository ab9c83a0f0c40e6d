"""Test helpers shared across test packages (stub servers, data builders)."""
