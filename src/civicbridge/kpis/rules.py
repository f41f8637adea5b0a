"""Who may do what on the KPI dashboard: everyone reads it (aggregates, no personal data);
coordinators set the programmes' targets."""

import rules

from civicbridge.core.rules import is_coordinator

rules.add_perm("kpis.change_target", is_coordinator)
