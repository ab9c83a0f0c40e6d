"""benchlab.engine"""
