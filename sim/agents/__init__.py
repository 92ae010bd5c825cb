"""Mesa agents of the care model. Each owns its capacity; behaviour runs as SimPy processes."""

from .general_practice import GeneralPractice
from .hospital import EmergencyDepartment, HospitalWard
from .municipality import Municipality
from .outpatient_clinic import OutpatientClinic
from .patient import Patient

__all__ = ["EmergencyDepartment", "GeneralPractice", "HospitalWard", "Municipality", "OutpatientClinic", "Patient"]
