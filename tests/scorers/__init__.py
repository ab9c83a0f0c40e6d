"""Tests for benchlab.scorers."""
