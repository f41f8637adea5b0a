"""The call form's deadline rows as a browser posts them (a Django formset named "deadlines")."""


def deadline_rows(*rows, initial: int = 0, removed: tuple[int, ...] = ()) -> dict:
    """``rows`` are (date, time) pairs as typed ("2027-01-15", "15:30"); ``removed`` are the
    indexes of rows whose "Remove this deadline" box is ticked."""
    data = {
        "deadlines-TOTAL_FORMS": str(len(rows)), "deadlines-INITIAL_FORMS": str(initial),
        "deadlines-MIN_NUM_FORMS": "0", "deadlines-MAX_NUM_FORMS": "6",
    }
    for index, (day, clock) in enumerate(rows):
        data[f"deadlines-{index}-date"] = day
        data[f"deadlines-{index}-time"] = clock
        if index in removed:
            data[f"deadlines-{index}-DELETE"] = "on"
    return data
