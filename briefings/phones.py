"""Phone numbers of any country, checked and written with the `phonenumbers` library (Google's libphonenumber data).

A number is read in the publication's region (`phone_region` in briefing.yaml, default GB) unless
it starts with +country code. It is shown in its national format when it is from that region (in
the international format otherwise) and linked as `tel:` with its E.164 form. Short numbers
(999, 101, 116 123) are valid where the region's data says so, shown as written and dialled as
they are, since they have no international form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phone:
    shown: str  # as a reader should see it
    tel: str  # the tel: link's target


def phone(text: str, region: str = "GB") -> Phone | None:
    """Read a phone number; None when it is not a valid number (or short number) for `region`."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, shortnumberinfo

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        home = phonenumbers.region_code_for_number(number) == region
        shown = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)
        return Phone(shown, "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164))
    if not text.strip().startswith("+") and shortnumberinfo.is_valid_short_number_for_region(number, region):
        return Phone(" ".join(text.split()), "tel:" + re.sub(r"\D", "", text))
    return None
