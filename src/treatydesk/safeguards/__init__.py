"""safeguards"""
