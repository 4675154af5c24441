"""The pre-build step renders the registration form exactly as the WTForms class defines it."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from wtforms.validators import InputRequired, Length

from advocacy.forms.registration import RegistrationForm
from portal_site.prebuild import HONEYPOT_FIELD, REGISTRATION_FORM_FILE, STRINGS_FILE, prebuild

FIELDS = [field for field in RegistrationForm() if field.name != HONEYPOT_FIELD]
FIELD_NAMES = [field.name for field in FIELDS]
INPUT_TYPES = {"StringField": "text", "EmailField": "email", "BooleanField": "checkbox"}


class FormParser(HTMLParser):
    """Collect form controls by name, elements by id, and label text (without the required mark) by for."""

    def __init__(self):
        super().__init__()
        self.controls: dict[str, dict[str, str | None]] = {}
        self.labels: dict[str, str] = {}
        self.labels_with_required_mark: set[str] = set()
        self.elements_by_id: dict[str, dict[str, str | None]] = {}
        self.text_by_id: dict[str, str] = {}
        self.open_tags: list[tuple[str, dict[str, str | None]]] = []
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._in_required_mark = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        attributes["_tag"] = tag
        attributes["_parents"] = " ".join(
            parent.get("class") or "" for _, parent in self.open_tags
        )
        attributes["_parent_aria_hidden"] = str(any(parent.get("aria-hidden") == "true" for _, parent in self.open_tags))
        if "id" in attributes:
            self.elements_by_id[attributes["id"]] = attributes
        if tag in {"input", "textarea", "select"} and "name" in attributes:
            self.controls[attributes["name"]] = attributes
        if tag == "label":
            self._label_for = attributes.get("for")
            self._label_text = []
        if tag == "span" and attributes.get("class") == "portal-required":
            self._in_required_mark = True
            if self._label_for:
                self.labels_with_required_mark.add(self._label_for)
        if tag not in {"input", "option"}:
            self.open_tags.append((tag, attributes))

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = "".join(self._label_text).strip()
            self._label_for = None
        if tag == "span":
            self._in_required_mark = False
        while self.open_tags:
            open_tag, _ = self.open_tags.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, attributes in self.open_tags:
            if attributes.get("id"):
                self.text_by_id[attributes["id"]] = self.text_by_id.get(attributes["id"], "") + data
        if self._label_for is not None and not self._in_required_mark:
            self._label_text.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> FormParser:
    output_dir = tmp_path_factory.mktemp("generated")
    paths = prebuild(output_dir=output_dir)
    assert paths == [output_dir / REGISTRATION_FORM_FILE]
    parser = FormParser()
    parser.feed(paths[0].read_text(encoding="utf-8"))
    return parser


def control_of(rendered: FormParser, name: str) -> dict:
    assert name in rendered.controls, f"no control named {name!r} in the rendered form"
    return rendered.controls[name]


def max_length(field) -> int | None:
    limits = [validator.max for validator in field.validators if isinstance(validator, Length) and validator.max >= 0]
    return min(limits) if limits else None


def test_prebuild_form_has_form_id_and_novalidate(rendered):
    form = rendered.elements_by_id.get("registration-form")
    assert form is not None
    assert form["_tag"] == "form"
    assert "novalidate" in form


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_label_matches_form_class(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    assert rendered.labels.get(control["id"]) == field.label.text


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_required_mark_matches_validators(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    required = any(isinstance(validator, InputRequired) for validator in field.validators)
    assert ("required" in control) is required


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_label_marks_required_fields(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    required = any(isinstance(validator, InputRequired) for validator in field.validators)
    assert (control["id"] in rendered.labels_with_required_mark) is required


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_maxlength_matches_length_validator(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    expected = max_length(field)
    assert control.get("maxlength") == (str(expected) if expected is not None else None)


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_input_type_matches_field_class(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    if field.type == "TextAreaField":
        assert control["_tag"] == "textarea"
    else:
        assert control.get("type") == INPUT_TYPES[field.type]


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_autocomplete_matches_render_kw(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    expected = (field.render_kw or {}).get("autocomplete")
    assert control.get("autocomplete") == expected


@pytest.mark.parametrize("name", [field.name for field in FIELDS if field.description])
def test_prebuild_field_description_is_linked(rendered, name):
    field = RegistrationForm()[name]
    control = control_of(rendered, name)
    description_id = f"{control['id']}-description"
    assert description_id in control.get("aria-describedby", "").split()
    assert description_id in rendered.elements_by_id


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_prebuild_field_has_hidden_error_slot(rendered, name):
    control = control_of(rendered, name)
    error_id = f"{control['id']}-error"
    assert error_id in control.get("aria-describedby", "").split()
    assert "hidden" in rendered.elements_by_id[error_id]


def test_prebuild_time_zone_offers_datalist(rendered):
    control = control_of(rendered, "time_zone")
    datalist = rendered.elements_by_id.get(control.get("list"))
    assert datalist is not None
    assert datalist["_tag"] == "datalist"


def test_prebuild_honeypot_is_present(rendered):
    assert HONEYPOT_FIELD in rendered.controls


def test_prebuild_honeypot_leaves_tab_order(rendered):
    assert control_of(rendered, HONEYPOT_FIELD).get("tabindex") == "-1"


def test_prebuild_honeypot_turns_off_autocomplete(rendered):
    assert control_of(rendered, HONEYPOT_FIELD).get("autocomplete") == "off"


def test_prebuild_honeypot_is_hidden_from_assistive_technology(rendered):
    assert control_of(rendered, HONEYPOT_FIELD)["_parent_aria_hidden"] == "True"


def test_prebuild_honeypot_sits_in_off_screen_container(rendered):
    assert "portal-honeypot" in control_of(rendered, HONEYPOT_FIELD)["_parents"].split()


def test_prebuild_honeypot_is_not_required(rendered):
    assert "required" not in control_of(rendered, HONEYPOT_FIELD)


def test_prebuild_submit_text_comes_from_strings_file(rendered):
    strings = json.loads(STRINGS_FILE.read_text(encoding="utf-8"))
    submit = rendered.elements_by_id.get("registration-submit")
    assert submit is not None
    assert submit.get("type") == "submit"
    assert rendered.text_by_id["registration-submit"].strip() == strings["registration_form"]["submit"]


def test_prebuild_label_translation_replaces_class_label(tmp_path):
    strings = json.loads(STRINGS_FILE.read_text(encoding="utf-8"))
    strings["registration_form"]["fields"] = {"email": {"label": "E-Mail (geschäftlich) <b>"}}
    strings_file = tmp_path / "strings.json"
    strings_file.write_text(json.dumps(strings), encoding="utf-8")

    [path] = prebuild(output_dir=tmp_path / "generated", strings_file=strings_file)
    parser = FormParser()
    parser.feed(path.read_text(encoding="utf-8"))

    assert parser.labels["registration-email"] == "E-Mail (geschäftlich) <b>"
    assert "maxlength" in parser.controls["email"]
