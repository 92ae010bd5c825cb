"""Teams a scenario adds (coordinators, complex-care team, ACT team, health coaches, telemonitoring):
the team agent (``care_team``), who they take on (``referrals``), what they do (``mechanism``)."""

from .care_team import CareTeam, TeamRole
from .mechanism import Teams
from .telemonitoring import Telemonitoring

__all__ = ["CareTeam", "TeamRole", "Teams", "Telemonitoring"]
