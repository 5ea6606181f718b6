"""untc"""
