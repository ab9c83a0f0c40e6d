"""benchlab.analysis"""
