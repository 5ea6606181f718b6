"""convention"""
