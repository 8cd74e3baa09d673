"""Who decides a leader's trust: a coordinator of that city, and nobody else (a network
admin who does not coordinate the city neither: the people who know the leader decide)."""

import rules

from interra.cities.rules import coordinates_city

rules.add_perm("autonomy.manage_trust", coordinates_city)
