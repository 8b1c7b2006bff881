"""Cases in the browser, at desktop width and at 390 px: the firm opens a case with a due date,
the client is mailed, reminded on the cadence (through the real SMTP test server, the clock
moved by time-machine), answers with a file from the mail's link, and the reminders stop."""

from __future__ import annotations

import datetime
import re

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from ledgerport.cases import reminders
from ledgerport.cases.models import Case
from tests.browser.conftest import SCREENSHOTS
from tests.browser.layout import SIDEWAYS
from tests.browser.login import log_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def beat_on(day: datetime.date) -> int:
    """The reminders' beat task run on `day` (the clock moved there for the run only)."""
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), timezone.get_current_timezone())
    ):
        return reminders.reminders_send()


def test_a_case_with_reminders_that_stop_when_answered(world, new_page, smtp_inbox):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=5)
    firm = new_page()
    log_in(firm, world.accountant_a.email, start=f"/companies/{world.a1.pk}/cases/")
    firm.get_by_test_id("case-new").click()
    firm.get_by_label("Rubrik").fill("Kvitton för mars")
    firm.get_by_label(re.compile(r"^Text")).fill("Vi saknar kvitton till verifikation 12 och 14.")
    firm.get_by_label(re.compile(r"^Förfallodag")).fill(due.isoformat())
    firm.locator(f'input[name="recipients"][value="{world.signatory_a1.pk}"]').check()
    firm.locator('input[name="remind_days_before"]').fill("2")
    firm.locator('input[name="remind_every_days"]').fill("2")
    firm.locator('input[name="remind_max"]').fill("3")
    assert firm.evaluate(SIDEWAYS) == []
    firm.get_by_test_id("case-create").click()
    expect(firm.get_by_test_id("case-title")).to_have_text("Kvitton för mars")
    expect(firm.get_by_test_id("case-status")).to_have_text("Väntar på klienten")
    expect(firm.get_by_test_id("case-due")).to_contain_text(due.isoformat())
    case = Case.objects.get(company=world.a1)

    [opened] = smtp_inbox.to(world.signatory_a1.email)
    assert "Nytt ärende" in str(opened["Subject"])
    # Two days before the due date, and on it: one reminder each, whatever the beat repeats.
    assert [beat_on(due - datetime.timedelta(days=2)), beat_on(due - datetime.timedelta(days=2))] == [1, 0]
    assert beat_on(due) == 1
    mails = smtp_inbox.to(world.signatory_a1.email)
    assert len(mails) == 3 and all("Påminnelse" in str(m["Subject"]) for m in mails[1:])
    link = re.search(r"https?://\S+", mails[-1].get_content()).group(0)

    client = new_page()
    log_in(client, world.signatory_a1.email, start=link)  # the reminder's link, through the login
    expect(client.get_by_test_id("case-title")).to_have_text("Kvitton för mars")
    expect(client.get_by_test_id("open-case-count")).to_have_text("1")
    client.get_by_test_id("bell").locator("summary").click()
    expect(client.get_by_test_id("case-notification")).to_contain_text("Nytt ärende: Kvitton för mars")
    expect(client.get_by_test_id("bell").get_by_text("Inga notifikationer.")).to_have_count(0)
    assert client.evaluate(SIDEWAYS) == []
    client.get_by_label("Meddelande").fill("Här är kvittona.")
    client.get_by_label("Filer").set_input_files(
        [{"name": "kvitton.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    client.get_by_test_id("case-send").click()
    expect(client.get_by_text("Ditt meddelande skickades.")).to_be_visible()
    expect(client.get_by_test_id("case-status")).to_have_text("Besvarat")
    expect(client.get_by_test_id("case-message")).to_contain_text("Här är kvittona.")
    expect(client.get_by_role("link", name="kvitton.pdf")).to_be_visible()
    assert client.evaluate(SIDEWAYS) == []

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    client.screenshot(
        path=str(SCREENSHOTS / f"case-client-{client.viewport_size['width']}.png"), full_page=True
    )

    # Answered: the cadence's next date passes without a reminder.
    assert beat_on(due + datetime.timedelta(days=2)) == 0
    assert len(smtp_inbox.to(world.signatory_a1.email)) == 3
    assert len(smtp_inbox.to(world.accountant_a.email)) == 1  # told of the answer

    firm.reload()
    expect(firm.get_by_test_id("case-status")).to_have_text("Besvarat")
    expect(firm.get_by_role("link", name="kvitton.pdf")).to_be_visible()
    expect(firm.get_by_test_id("case-reminders-sent")).to_be_visible()
    firm.goto(f"/companies/{world.a1.pk}/cases/")
    expect(firm.get_by_test_id("case-row")).to_have_attribute("data-status", "answered")
    assert case.reminders.count() == 2
    firm.screenshot(path=str(SCREENSHOTS / f"case-list-{firm.viewport_size['width']}.png"), full_page=True)
