"""TreatyDesk: cooperation requests under the UN Convention against Cybercrime, with its
safeguards checked article by article, and a tracker of the Convention's status."""

__version__ = "0.1.0"
