"""An emulated SAM ID-card reader on a pseudo-terminal (spec id-cards.md 1.6 and 8)."""

from devices.idcard.emulator.device import Faults, IdCardEmulator
from devices.idcard.emulator.profiles import IdCardProfile, load_profiles, profile_from_resident
from devices.idcard.emulator.sam import CardState, SamModel

__all__ = ["CardState", "Faults", "IdCardEmulator", "IdCardProfile", "SamModel",
           "load_profiles", "profile_from_resident"]
