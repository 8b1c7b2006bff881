"""What the person sees for each BankID hintCode and error, after BankID's recommended user
messages (RFA1-RFA23). Unknown codes are tolerated: they get the generic pending or failed text."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PENDING: dict[str, Promise] = {
    # RFA1 / RFA13: nothing has reached the app yet.
    "outstandingTransaction": _("Start your BankID app and scan the QR code, or open BankID on this device."),
    "noClient": _("Start your BankID app."),
    # RFA14/RFA15: the app has the order and looks for a usable BankID.
    "started": _(
        "Searching for BankID, it may take a little while… If a few seconds pass and no BankID is "
        "found, you probably have no BankID that can be used for this login on this device."
    ),
    "userSign": _("Enter your security code in the BankID app and select Identify."),  # RFA9
    "userMrtd": _("Photograph and read your ID document with the BankID app."),  # RFA23
    "userCallConfirm": _("Confirm the call in the BankID app."),
}
PENDING_UNKNOWN = _("Identification in progress.")  # RFA21

FAILED: dict[str, Promise] = {
    "expiredTransaction": _(  # RFA8
        "The BankID app is not responding. Check that it is started and that you have an internet "
        "connection. If you do not have a valid BankID you can get one from your bank. Then try again."
    ),
    "certificateErr": _(  # RFA16
        "The BankID you are trying to use is too old or blocked. Use another BankID or get a new one from your bank."
    ),
    "userCancel": _("Action cancelled."),  # RFA6
    "cancelled": _("Action cancelled. Please try again."),  # RFA3
    "startFailed": _(  # RFA17
        "The BankID app could not be started or the QR code was not read in time. Start the BankID "
        "app and scan the QR code, and check that the app is up to date. If you do not have the "
        "BankID app, install it and get a BankID from your bank."
    ),
    "userDeclinedCall": _("The call was declined in the BankID app."),
    "notSupportedByUserApp": _("Your BankID app does not support this. Update the BankID app and try again."),
    "transactionRiskBlocked": _(
        "BankID stopped the login for security reasons. Try again later or contact your bank."
    ),
    "userMismatch": _("The BankID used belongs to a different person than the one who is to log in."),
}
FAILED_UNKNOWN = _("Unknown error. Please try again.")  # RFA22

ERRORS: dict[str, Promise] = {
    "alreadyInProgress": _(  # RFA4
        "An identification or signing for this personal identity number is already started. Please try again."
    ),
}
ERROR_OTHER = _("Internal technical error. Please try again.")  # RFA5

NO_ACCOUNT = _(
    "There is no account for this BankID. Contact your accounting firm if you should have access to the portal."
)
RISK_REFUSED = _("BankID judged this login to be high risk, so it was refused. Contact your accounting firm.")
TOO_MANY_STARTS = _("Too many BankID attempts in a short time. Wait a few minutes and try again.")
NO_ORDER = _("The BankID login has ended. Start again.")
USER_CANCELLED = _("The BankID login was cancelled.")


def pending_message(hint_code: str) -> Promise:
    return PENDING.get(hint_code, PENDING_UNKNOWN)


def failed_message(hint_code: str) -> Promise:
    return FAILED.get(hint_code, FAILED_UNKNOWN)


def error_message(error_code: str) -> Promise:
    return ERRORS.get(error_code, ERROR_OTHER)
