#!/usr/bin/env python3
"""The console's content pages in chromium: contacts and groups (search,
filters, add, change, join and leave, remove), what a viewer and an
operator may not do, and every page at 360 px.  Started by pages.sh;
prints "ok:" / "FAIL:" lines and exits 1 on any failure."""
import os
import sys

from kt import (URL, check, d, el, els, failed, forged_post, login, logout,
                shot, sql, wait_for)


def rows():
    return [r.get_attribute("data-phone") for r in els("#c-table tr[data-phone]")]


def groups_of(phone):
    return [r[0] for r in sql("SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
                              "JOIN contacts c ON c.id = m.contact_id WHERE c.phone = ? ORDER BY g.name", phone)]


try:
    d.get(URL + "/console")
    login("admin", "pass-admin-123")
    wait_for(lambda: el("#dashboard"))
    el("#nav-contacts").click()
    check("the contacts page lists everyone", wait_for(lambda: len(rows()) == 4))
    check("... and says how many", el("#c-count").text == "4 kontak")
    el("#c-search").send_keys("sari")
    check("a search finds a name", wait_for(lambda: rows() == ["+6281200000001"]))
    el("#c-search").clear()
    el("#c-search").send_keys(" ")
    el("#c-search").clear()
    wait_for(lambda: len(rows()) == 4)
    wait_for(lambda: len(els("#c-group option")) == 3)
    d.execute_script("var s = document.getElementById('c-group'); s.value = 'IBU'; s.dispatchEvent(new Event('change'))")
    check("the group filter keeps IBU's one member", wait_for(lambda: rows() == ["+6281200000002"]))
    d.execute_script("var s = document.getElementById('c-group'); s.value = ''; s.dispatchEvent(new Event('change'))")
    d.execute_script("var s = document.getElementById('c-opted'); s.value = '1'; s.dispatchEvent(new Event('change'))")
    check("the opted-out filter keeps Joko", wait_for(lambda: rows() == ["+6281200000004"]))
    d.execute_script("var s = document.getElementById('c-opted'); s.value = ''; s.dispatchEvent(new Event('change'))")
    d.execute_script("var s = document.getElementById('c-village'); s.value = 'Cibodas'; "
                     "s.dispatchEvent(new Event('change'))")
    check("the village filter keeps Cibodas", wait_for(lambda: sorted(rows()) == ["+6281200000003", "+6281200000004"]))
    d.execute_script("var s = document.getElementById('c-village'); s.value = ''; s.dispatchEvent(new Event('change'))")
    wait_for(lambda: len(rows()) == 4)
    shot("contacts")

    # Add: a bad number is refused with the CLI's words, a good one saved.
    el("#c-add").click()
    el("#cf-phone").send_keys("12ab")
    el("#cf-name").send_keys("Ani")
    el("#cf-save").click()
    check("a bad number is refused as the CLI says it",
          wait_for(lambda: '"12ab" is not a phone number' in el("#cf-error").text))
    el("#cf-phone").clear()
    el("#cf-phone").send_keys("0813 5555 0001")
    el("#cf-village").send_keys("Sukamaju")
    el("#cf-groups").send_keys("petani; kader")
    el("#cf-save").click()
    check("a new contact is saved", wait_for(lambda: els("#cf-saved")))
    check("... in the database with its groups, created as needed",
          sql("SELECT name, village FROM contacts WHERE phone = '+6281355550001'") == [("Ani", "Sukamaju")]
          and groups_of("+6281355550001") == ["KADER", "PETANI"])
    check("... and listed", wait_for(lambda: "+6281355550001" in rows()))
    el("#c-add").click()
    el("#cf-phone").send_keys("081200000001")
    el("#cf-save").click()
    check("adding a known number is refused", wait_for(lambda: "already a contact" in el("#cf-error").text))

    # Change: the village, a group joined and one left.
    wait_for(lambda: els('tr[data-phone="+6281200000002"] .c-edit'))
    el('tr[data-phone="+6281200000002"] .c-edit').click()
    wait_for(lambda: el("#cf-phone").get_attribute("value") == "+6281200000002")
    check("the form shows the contact's groups", sorted(
        c.get_attribute("data-group") for c in els("#cf-chips .chip")) == ["IBU", "PETANI"])
    shot("contact-edit")
    el("#cf-village").clear()
    el("#cf-village").send_keys("Cibodas")
    el("#cf-groups").send_keys("KADER")
    el("#cf-opted").click()
    el("#cf-save").click()
    check("a change is saved", wait_for(lambda: sql(
        "SELECT village, opted_out FROM contacts WHERE phone = '+6281200000002'") == [("Cibodas", 1)]))
    check("... and the group joined", groups_of("+6281200000002") == ["IBU", "KADER", "PETANI"])
    wait_for(lambda: "KADER" in el('tr[data-phone="+6281200000002"]').text)
    el('tr[data-phone="+6281200000002"] .c-edit').click()
    wait_for(lambda: els('#cf-chips .chip[data-group="IBU"]'))
    el('#cf-chips .chip[data-group="IBU"]').click()
    check("a group is left in one click", wait_for(lambda: groups_of("+6281200000002") == ["KADER", "PETANI"]))
    check("the audit log names who did it", wait_for(lambda: sql(
        "SELECT count(*) FROM audit WHERE actor = 'admin' AND action = 'console group leave' "
        "AND detail = '+6281200000002 IBU'")[0][0] == 1))

    # Remove, after the browser's confirmation.
    wait_for(lambda: els("#cf-remove"))
    d.execute_script("window.confirm = function () { return true; }")
    el("#cf-remove").click()
    check("a contact is removed", wait_for(lambda: sql(
        "SELECT count(*) FROM contacts WHERE phone = '+6281200000002'")[0][0] == 0))
    check("... and leaves the list", wait_for(lambda: "+6281200000002" not in rows()))

    # A CSV upload: checked and shown first, nothing written; then the good rows.
    def upload(name, text):
        path = os.path.join(os.environ["KT_TMP"], name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        d.execute_script("document.getElementById('csv-result').textContent = ''")
        el("#csv-file").clear()
        el("#csv-file").send_keys(path)
    before = sql("SELECT count(*) FROM contacts")[0][0]
    upload("bad.csv", "\ufeffNomor;Nama;Desa;Grup;Berhenti;Catatan\n"
           "081277700001;Rina;Sukamaju;PETANI|KADER;;x\n"
           "abc;Tono;Cibodas;;;\n"
           "081277700002;\"Dewi; Bu\";Cibodas;IBU;ya;\n"
           "0812-7770-0001;Rina lagi;;;;\n"
           "081277700003;Eko;;;mungkin;\n")
    check("the upload shows the columns it found (semicolons, Indonesian names)",
          wait_for(lambda: "← Nomor" in el("#csv-mapping").text and "← Berhenti" in el("#csv-mapping").text))
    check("... the first good rows as they will be stored",
          "+6281277700002" in el("#csv-preview").text and "Dewi; Bu" in el("#csv-preview").text)
    bad = [b.text for b in els("#csv-bad li")]
    check("... and every bad row with its line and reason: %s" % bad, bad == [
        'baris 3: phone "abc" is not a phone number',
        "baris 5: phone +6281277700001 is also on line 2",
        'baris 6: opted_out "mungkin": 1 or 0 (yes or no)'])
    check("... with no import-all button, only import-the-good-rows", not els("#csv-import") and els("#csv-skip"))
    shot("contacts-csv")
    check("nothing is written before a choice", sql("SELECT count(*) FROM contacts")[0][0] == before)
    check("the server refuses to write a file with bad rows without skip_bad (409)",
          forged_post("contacts/import", {"csv": "phone\n081277700009\nabc\n", "write": True}) == 409
          and sql("SELECT count(*) FROM contacts")[0][0] == before)
    el("#csv-skip").click()
    check("the good rows are imported", wait_for(lambda: "2 kontak baru" in el("#csv-done").text))
    check("... into the database, with groups and the opt-out",
          sql("SELECT count(*) FROM contacts")[0][0] == before + 2
          and groups_of("+6281277700001") == ["KADER", "PETANI"]
          and sql("SELECT opted_out FROM contacts WHERE phone = '+6281277700002'") == [(1,)])
    upload("broken.csv", 'phone,name\n081277700004,"Sri\n081277700005,Ali\n')
    wait_for(lambda: el("#csv-error").text)
    check("a file with an unclosed quote is refused with its line: " + el("#csv-result").text,
          "line 2: a quoted field is not closed" in el("#csv-error").text)
    upload("nophone.csv", "nama,desa\nSri,Cibodas\n")
    check("a file without a phone column is refused",
          wait_for(lambda: 'no "phone" column' in el("#csv-error").text))
    upload("good.csv", "phone,name,village\n081277700006,Ani,Sukamaju\n081200000001,Sari,Cibodas\n")
    wait_for(lambda: els("#csv-import"))
    el("#csv-import").click()
    check("a clean file imports all: one new, one changed",
          wait_for(lambda: "1 kontak baru, 1 diubah" in el("#csv-done").text)
          and sql("SELECT village FROM contacts WHERE phone = '+6281200000001'") == [("Cibodas",)])
    check("the import is audited", sql("SELECT count(*) FROM audit WHERE action = 'console contact import'")[0][0] == 2)

    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    widths = []
    for page, ready, then in (("#/contacts", "#c-table", "#c-add"),):
        d.execute_script("location.hash = '#/dashboard'")
        d.execute_script("location.hash = arguments[0]", page)
        wait_for(lambda: els(ready))
        widths.append(d.execute_script("return document.documentElement.scrollWidth"))
        el(then).click()
        widths.append(d.execute_script("return document.documentElement.scrollWidth"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    check("every page and form fits a 360 px phone: %s" % widths, max(widths) <= 360)
    d.execute_script("location.hash = '#/dashboard'")
    logout()

    # A viewer reads, with no button to change anything; the server refuses.
    login("viewer", "pass-viewer-123")
    wait_for(lambda: el("#dashboard"))
    el("#nav-contacts").click()
    check("a viewer sees the contacts", wait_for(lambda: len(rows()) == 7))
    check("... with no add button, no edit links, no upload", not els("#c-add") and not els(".c-edit")
          and not els("#csv-file"))
    for path, body in (("contact", {"new": True, "phone": "081299990001", "name": "X"}),
                       ("contact/remove", {"phone": "081200000001"}),
                       ("group/join", {"phone": "081200000001", "group": "IBU"}),
                       ("group/leave", {"phone": "081200000001", "group": "PETANI"}),
                       ("contacts/import", {"csv": "phone\n081299990001\n", "write": True})):
        check("the server refuses a viewer's forged %s (403)" % path, forged_post(path, body) == 403)
    logout()
    login("operator", "pass-operator-123")
    wait_for(lambda: el("#dashboard"))
    check("an operator may not add contacts either (403)",
          forged_post("contact", {"new": True, "phone": "081299990001"}) == 403)
    check("nothing forged was written", sql("SELECT count(*) FROM contacts WHERE phone = '+6281299990001'")[0][0] == 0
          and groups_of("+6281200000001") == ["PETANI"])
    logout()
finally:
    d.quit()
sys.exit(1 if failed[0] else 0)
