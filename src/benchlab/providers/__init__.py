"""benchlab.providers"""
