"""Rows of core for tests."""

import factory

from civicbridge.core.notifications import Mail


class MailFactory(factory.Factory):
    """An e-mail to hand to ``queue_mail``/``queue_mails`` (not a row: the service writes rows)."""

    class Meta:
        model = Mail

    key = factory.Sequence(lambda n: f"test:mail:{n}")
    to = factory.Sequence(lambda n: f"reader{n}@example.org")
    subject = "A new call for proposals"
    body = "Dear reader,\n\na call you follow was published.\n"
    language = "en"
    headers = factory.LazyFunction(dict)
