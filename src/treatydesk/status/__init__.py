"""Status of treaties: participants, their actions, declarations, entry into force."""
