#!/usr/bin/env python3
"""The console's content pages in chromium: contacts and groups (search,
filters, add, change, join and leave, remove), what a viewer and an
operator may not do, and every page at 360 px and 1280 px.  Started by pages.sh;
prints "ok:" / "FAIL:" lines and exits 1 on any failure."""
import datetime
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from kt import (CLI, CONF, URL, check, d, el, els, failed, forged_post, inject, login, logout,
                shot, sql, wait_for)


def rows():
    return [r.get_attribute("data-phone") for r in els("#c-table tr[data-phone]")]


def kt(*args):
    subprocess.run([CLI, "-c", CONF] + list(args), check=True, stdout=subprocess.DEVNULL)


def pick(css, value):
    """Choose an option (or set an input) and tell the page it changed."""
    d.execute_script("var e = document.querySelector(arguments[0]); e.value = arguments[1]; "
                     "e.dispatchEvent(new Event('change'))", css, value)


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
    csv = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/contacts.csv').then(r => r.arrayBuffer().then(b => done([r.status,
            Array.from(new Uint8Array(b))])));""")
    csv[1] = bytes(csv[1]).decode("utf-8")
    check("every contact downloads in the spreadsheet format (BOM, ';', grouped numbers): %r" % csv[1][:120],
          csv[0] == 200
          and csv[1].startswith("\ufeffphone;name;village;groups;language;opted_out\r\n")
          and '+62 812-7770-0001;Rina;Sukamaju;"KADER;PETANI";;0\r\n' in csv[1])
    # ... and that file uploads back as it is, changing nothing.
    snapshot = sql("SELECT phone, name, village, language, opted_out FROM contacts ORDER BY id")
    upload("download.csv", csv[1])
    wait_for(lambda: els("#csv-import"))
    el("#csv-import").click()
    check("the downloaded file uploads back: nothing new, nothing lost",
          wait_for(lambda: "Selesai: 0 kontak baru" in el("#csv-done").text)
          and sql("SELECT phone, name, village, language, opted_out FROM contacts ORDER BY id") == snapshot)

    # The broadcast composer: a group with one opted-out member.
    kt("contact", "add", "081300000001", "--name", "Ani", "--village", "Sukamaju", "--group", "TANI2")
    kt("contact", "add", "081300000002", "--name", "Bambang Sutrisno", "--village", "Sumber Rejo", "--group", "TANI2")
    kt("contact", "add", "081300000003", "--name", "Cici", "--village", "Cibodas", "--group", "TANI2")
    kt("contact", "add", "081300000004", "--name", "Dodi", "--village", "Cibodas", "--group", "TANI2")
    kt("contact", "set", "081300000004", "--opted-out", "yes")
    el("#nav-broadcasts").click()
    wait_for(lambda: len(els("#bc-name option")) >= 3)
    pick("#bc-name", "TANI2")
    check("the audience counts the group without its opted-out member",
          wait_for(lambda: el("#bc-reach").text == "Menjangkau 3 orang (1 berhenti, tidak dikirimi)"))
    check("quiet hours are shown", ("Jam tenang " + os.environ["QUIET"]) in el("#bc-quiet").text)
    el("#bc-text").send_keys("Halo ")
    el('#bc-form .chip[data-field="{nama}"]').click()
    el("#bc-text").send_keys(" dari ")
    el('#bc-form .chip[data-field="{desa}"]').click()
    el("#bc-text").send_keys(", pupuk bersubsidi datang Senin pagi di balai desa. Bawa KTP dan kartu tani. " + "x" * 50)
    counter, worst = el("#bc-counter").text, el("#bc-worst").text
    check("the counter gives characters, parts and encoding: " + counter, counter.startswith("154 karakter, 1 SMS (GSM-7)"))
    check("... and the worst case with the longest name and village: " + worst,
          worst == "Terpanjang dengan {nama}/{desa}: 165 karakter, 2 SMS")
    pick("#bc-when", "later")
    pick("#bc-at", "2020-01-01T08:00")
    el("#bc-next").click()
    check("a time in the past is refused", wait_for(lambda: "that time has passed" in el("#bc-error").text))
    check("... and nothing is created", sql("SELECT count(*) FROM broadcasts")[0][0] == 0)
    pick("#bc-when", "now")
    el("#bc-next").click()
    check("a confirmation repeats audience, parts and cost", wait_for(
        lambda: "group:TANI2" in el("#bc-confirm").text and "2 SMS per orang" in el("#bc-confirm").text
        and el("#bc-cost").text == "Biaya: 3 orang \u00d7 2 SMS \u00d7 Rp150 = Rp900"))
    check("... nothing is created before it is confirmed", sql("SELECT count(*) FROM broadcasts")[0][0] == 0)
    shot("broadcast-confirm")
    el("#bc-send").click()
    check("confirmed, the broadcast is created", wait_for(lambda: els("#bc-created")))
    check("every member but the opted-out one is reached on the modem", wait_for(lambda: sorted(
        sql("SELECT recipient, state FROM outbox WHERE broadcast_id = 1")) == [
        ("+6281300000001", "sent"), ("+6281300000002", "sent"), ("+6281300000003", "sent")], 30))
    check("... each by name and village", sql("SELECT text FROM outbox WHERE recipient = '+6281300000002'")[0][0]
          .startswith("Halo Bambang Sutrisno dari Sumber Rejo, pupuk"))
    check("... and the broadcast is by admin", sql("SELECT created_by FROM broadcasts WHERE id = 1") == [("admin",)])
    check("its progress shows three sent with a bar", wait_for(
        lambda: "3 terkirim" in el('.bc[data-id="1"] .bc-counts').text and els('.bc[data-id="1"] .bar span'), 10))
    # One failed message is resent in one click.
    sql_write = __import__("sqlite3").connect(os.environ["KT_DB"], timeout=5)
    sql_write.execute("UPDATE outbox SET state = 'failed', last_error = 'test' WHERE recipient = '+6281300000003'")
    sql_write.commit()
    sql_write.close()
    check("a failed message offers a resend", wait_for(lambda: els('.bc[data-id="1"] .bc-retry'), 10))
    shot("broadcasts")
    el('.bc[data-id="1"] .bc-retry').click()
    check("... which reaches the modem again", wait_for(lambda: sql(
        "SELECT state FROM outbox WHERE recipient = '+6281300000003'") == [("sent",)], 20))
    # A broadcast in quiet hours tomorrow says so; cancelled, nothing goes.
    soon = datetime.datetime.now().replace(minute=30) + datetime.timedelta(days=1, hours=2)
    el("#bc-text").send_keys("Rapat kelompok besok.")
    pick("#bc-when", "later")
    pick("#bc-at", soon.strftime("%Y-%m-%dT%H:%M"))
    el("#bc-next").click()
    check("a time in quiet hours is said to wait", wait_for(lambda: "jam tenang" in el("#bc-confirm").text))
    el("#bc-send").click()
    check("the scheduled broadcast is listed with a cancel button",
          wait_for(lambda: els('.bc[data-id="2"] .bc-cancel')))
    d.execute_script("window.confirm = function () { return true; }")
    el('.bc[data-id="2"] .bc-cancel').click()
    check("... and cancelled", wait_for(lambda: sql("SELECT state FROM broadcasts WHERE id = 2") == [("cancelled",)]))
    check("the audit log names who sent, scheduled, retried and cancelled", sorted(
        r[0] for r in sql("SELECT action FROM audit WHERE actor = 'admin' AND action LIKE 'console broadcast%'")) == [
        "console broadcast cancel", "console broadcast retry", "console broadcast schedule", "console broadcast send"])

    # Events: one filled to its quota, the next waitlisted and promoted on
    # a cancellation made here, and told so on the modem.
    el("#nav-events").click()
    wait_for(lambda: el("#ef-code"))
    el("#ef-code").send_keys("tani24")
    el("#ef-title").send_keys("Pelatihan pupuk organik")
    el("#ef-quota").clear()
    el("#ef-quota").send_keys("2")
    pick("#ef-deadline", "2020-01-01")
    el("#ef-save").click()
    check("a past deadline is refused as the CLI says it",
          wait_for(lambda: "--deadline: that day is past" in el("#ef-error").text))
    week = datetime.date.today() + datetime.timedelta(days=7)
    pick("#ef-deadline", week.isoformat())
    el("#ef-date").send_keys(week.isoformat() + " 08:00")
    el("#ef-place").send_keys("Balai Desa Sukamaju")
    el("#ef-save").click()
    check("an event is created", wait_for(lambda: el("#ev-counts").text.startswith("0/2 terdaftar")))
    check("... in the database", sql("SELECT code, quota, event_date FROM events") ==
          [("TANI24", 2, week.isoformat() + " 08:00")])
    for n, who in (("081400000001", "Ani"), ("081400000002", "Budi"), ("081400000003", "Citra")):
        inject(n, "DAFTAR TANI24 " + who).wait(30)
    d.refresh()
    check("the registrants show two confirmed and the next waitlisted #1", wait_for(lambda: [
        (r.get_attribute("data-phone"), r.find_elements("css selector", "td")[0].text) for r in els("#ev-regs tr[data-phone]")] == [
        ("+6281400000001", "terdaftar"), ("+6281400000002", "terdaftar"), ("+6281400000003", "menunggu #1")], 10))
    check("... and the counts", el("#ev-counts").text.startswith("2/2 terdaftar, 1 menunggu"))
    d.execute_script("window.confirm = function () { return true; }")
    last = sql("SELECT max(id) FROM outbox")[0][0]
    el('#ev-regs tr[data-phone="+6281400000001"] .ev-cancel').click()
    check("a cancellation in the console promotes the waitlisted", wait_for(lambda: sql(
        "SELECT k.phone, r.status FROM registrations r JOIN contacts k ON k.id = r.contact_id ORDER BY k.phone") == [
        ("+6281400000001", "cancelled"), ("+6281400000002", "confirmed"), ("+6281400000003", "confirmed")]))
    told = wait_for(lambda: sql("SELECT text FROM outbox WHERE recipient = '+6281400000003' AND id > ? "
                                "AND state = 'sent'", last), 20)
    check("... who is told on the modem: %s" % told, told and "TANI24" in told[0][0])
    check("the page shows it", wait_for(lambda: el('#ev-regs tr[data-phone="+6281400000003"]').get_attribute("data-status") == "confirmed"))
    csv = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/event.csv?code=TANI24').then(r => r.text().then(t => done([r.status, t])));""")
    check("the registrants download as CSV", csv[0] == 200 and csv[1].startswith("status,phone,name,village,registered")
          and '"cancelled","+6281400000001","Ani"' in csv[1])

    # Change the event in its form: a past deadline and a date that is
    # none are refused with the CLI's words; quota, place and date change.
    def cli_says(*args):
        return subprocess.run([CLI, "-c", CONF] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True).stdout.strip()
    el("#ev-edit").click()
    wait_for(lambda: el("#ef-quota"))
    check("the form holds the event as it is", el("#ef-code").get_attribute("readonly") is not None
          and el("#ef-place").get_attribute("value") == "Balai Desa Sukamaju"
          and el("#ef-date").get_attribute("value") == week.isoformat() + " 08:00")
    pick("#ef-deadline", "2020-01-01")
    el("#ef-save").click()
    said = cli_says("event", "create", "X1", "x", "--quota", "1", "--deadline", "2020-01-01")
    check("a past deadline is refused with the CLI's message (%s)" % said, wait_for(
        lambda: "--deadline: that day is past" in el("#ef-error").text) and said.endswith("--deadline: that day is past"))
    pick("#ef-deadline", week.isoformat())
    el("#ef-date").clear()
    el("#ef-date").send_keys("besok pagi")
    el("#ef-save").click()
    said = cli_says("event", "create", "X1", "x", "--quota", "1", "--date", "besok pagi")
    check("a date that is none is refused with the CLI's message (%s)" % said, wait_for(
        lambda: 'expected YYYY-MM-DD or "YYYY-MM-DD HH:MM"' in el("#ef-error").text)
        and el("#ef-error").text.endswith(said.split("kentongan: ")[-1]))
    check("... and nothing changed", sql("SELECT quota, place, event_date, deadline FROM events WHERE code = 'TANI24'") ==
          [(2, "Balai Desa Sukamaju", week.isoformat() + " 08:00", week.isoformat())])
    moved = week + datetime.timedelta(days=1)
    el("#ef-date").clear()
    el("#ef-date").send_keys(moved.isoformat() + " 09:30")
    el("#ef-quota").clear()
    el("#ef-quota").send_keys("3")
    el("#ef-place").clear()
    el("#ef-place").send_keys("Aula Kecamatan")
    shot("event-edit")
    el("#ef-save").click()
    check("the change is saved", wait_for(lambda: sql(
        "SELECT quota, place, event_date FROM events WHERE code = 'TANI24'") == [(3, "Aula Kecamatan", moved.isoformat() + " 09:30")]))
    check("... and the page shows it", wait_for(lambda: "Aula Kecamatan" in el("#ev-head").text
          and moved.isoformat() + " 09:30" in el("#ev-head").text and el("#ev-counts").text.startswith("2/3 terdaftar")
          and not els("#ef")))
    check("... audited", sql("SELECT count(*) FROM audit WHERE actor = 'admin' AND action = 'console event set' "
                             "AND detail = 'TANI24'")[0][0] == 1)

    # Remind the confirmed by SMS: sent on the modem with the new place and
    # time; a second reminder at once is refused, then sent on purpose.
    last = sql("SELECT max(id) FROM outbox")[0][0]
    el("#ev-remind").click()
    check("a reminder goes to the two confirmed", wait_for(lambda: "Pengingat dikirim ke 2 orang" in el("#ev-reminded").text))
    told = wait_for(lambda: sql("SELECT recipient, text, created_by FROM outbox WHERE id > ? AND state = 'sent' "
                                "ORDER BY recipient", last) if len(sql(
        "SELECT 1 FROM outbox WHERE id > ? AND state = 'sent'", last)) == 2 else None, 20)
    day = moved.day
    check("... on the modem, with the new date, time and place, by admin: %s" % told, told and
          [r[0] for r in told] == ["+6281400000002", "+6281400000003"] and all(
              r[1].startswith("Jangan lupa: Pelatihan pupuk organik (TANI24) ") and " %d " % day in r[1]
              and "09.30 Aula Kecamatan" in r[1] and r[2] == "admin" for r in told))
    check("the page says when the last reminder went", wait_for(lambda: "ke 2 orang" in el("#ev-last").text))
    check("... audited", sql("SELECT detail FROM audit WHERE actor = 'admin' AND action = 'console event remind'") ==
          [("TANI24: 2 sent, 0 opted out",)])
    el("#ev-remind").click()
    check("a second reminder at once is refused with the CLI's words", wait_for(
        lambda: "was reminded at" in el("#ev-remind-error").text and "--force" in el("#ev-remind-error").text))
    check("... and nothing is queued", sql("SELECT count(*) FROM outbox WHERE id > ?", last)[0][0] == 2)
    shot("event")
    el("#ev-remind-force").click()
    check("... unless sent again on purpose", wait_for(lambda: els("#ev-reminded")) and wait_for(
        lambda: sql("SELECT count(*) FROM outbox WHERE id > ? AND text LIKE 'Jangan lupa:%'", last)[0][0] == 4))
    el("#ev-close").click()
    check("an event is closed", wait_for(lambda: sql("SELECT status FROM events") == [("closed",)]))

    # Prices: held field reports approved (the subscriber is told on the
    # modem) or rejected in one click, a price set by hand, the history.
    kt("price", "set", "CABAI", "KEDIRI", "40000", "--date", (datetime.date.today() - datetime.timedelta(days=2)).isoformat())
    kt("reporter", "add", "081500000001")
    inject("081500000002", "LANGGANAN CABAI").wait(30)
    inject("081500000001", "LAPOR CABAI KEDIRI 90rb").wait(30)
    inject("081500000001", "LAPOR CABAI KEDIRI 15000").wait(30)
    held = sql("SELECT id, price FROM prices WHERE status = 'pending' ORDER BY id")
    check("two field reports are held: %s" % held, [p for _, p in held] == [90000, 15000])
    el("#nav-prices").click()
    check("the held reports are listed against the published price", wait_for(
        lambda: len(els("#pr-held .held")) == 2 and "harga terbit Rp40.000" in el("#pr-held .held").text))
    shot("prices")
    last = sql("SELECT max(id) FROM outbox")[0][0]
    el('#pr-held .held[data-id="%d"] .pr-approve' % held[0][0]).click()
    check("one click publishes a held report", wait_for(lambda: sql(
        "SELECT status FROM prices WHERE id = ?", held[0][0]) == [("published",)]))
    told = wait_for(lambda: sql("SELECT text FROM outbox WHERE recipient = '+6281500000002' AND id > ? "
                                "AND state = 'sent'", last), 20)
    check("... and the subscriber is told on the modem: %s" % told, told and "90.000" in told[0][0])
    wait_for(lambda: len(els("#pr-held .held")) == 1)
    el('#pr-held .held[data-id="%d"] .pr-reject' % held[1][0]).click()
    check("one click rejects the other", wait_for(lambda: sql(
        "SELECT status FROM prices WHERE id = ?", held[1][0]) == [("rejected",)]))
    check("... and the subscriber is not told of it", sql(
        "SELECT count(*) FROM outbox WHERE recipient = '+6281500000002' AND text LIKE '%15.000%'")[0][0] == 0)
    check("the table shows the new price and its change", wait_for(
        lambda: "Rp90.000/kg" in el('#pr-table tr[data-key="CABAI/KEDIRI"]').text
        and "+125%" in el('#pr-table tr[data-key="CABAI/KEDIRI"]').text))
    check("the history is drawn", wait_for(lambda: len(els("#pr-chart circle")) == 2))
    el("#pf-commodity").send_keys("bawang merah")
    el("#pf-market").send_keys("pasar legi")
    el("#pf-price").send_keys("tiga puluh")
    el("#pf-save").click()
    check("a bad price is refused as the CLI says it",
          wait_for(lambda: '"tiga puluh" is not a price' in el("#pf-error").text))
    el("#pf-price").clear()
    el("#pf-price").send_keys("30rb")
    el("#pf-save").click()
    check("a price is set by hand", wait_for(lambda: sql(
        "SELECT p.price, p.source FROM prices p JOIN commodities c ON c.id = p.commodity_id "
        "WHERE c.name = 'BAWANG MERAH'") == [(30000, "console")]))

    # Field reporters: listed with their reports, one added by number (a
    # bad number refused as the CLI says it), whose LAPOR is then taken,
    # and taken away again, after which it is refused.
    def reporter(phone):
        return sql("SELECT is_reporter FROM contacts WHERE phone = ?", phone)
    def lapor(number, text):
        last = sql("SELECT COALESCE(max(id), 0) FROM prices")[0][0]
        out = subprocess.run([CLI, "-c", CONF, "phone", number, text], stdout=subprocess.PIPE, text=True).stdout
        return out, sql("SELECT price FROM prices WHERE id > ?", last)
    check("the reporters are listed with how many prices they reported", wait_for(
        lambda: el('#rp-table tr[data-phone="+6281500000001"]').find_elements("css selector", "td")[3].text == "2"))
    el("#rp-phone").send_keys("12ab")
    el("#rp-add").click()
    said = cli_says("reporter", "add", "12ab")
    check("a bad number is refused as the CLI says it (%s)" % said, wait_for(
        lambda: '"12ab" is not a phone number' in el("#rp-msg").text) and said.endswith('"12ab" is not a phone number'))
    el("#rp-phone").clear()
    el("#rp-phone").send_keys("0815 0000 0003")
    el("#rp-add").click()
    check("a number is made a reporter", wait_for(lambda: reporter("+6281500000003") == [(1,)]))
    check("... listed", wait_for(lambda: els('#rp-table tr[data-phone="+6281500000003"]')))
    check("... audited", sql("SELECT count(*) FROM audit WHERE actor = 'admin' AND action = 'console reporter add' "
                             "AND detail = '+6281500000003'")[0][0] == 1)
    reply, new = lapor("081500000003", "LAPOR CABAI PARE 41000")
    check("... whose LAPOR is now taken: %s %s" % (reply.strip(), new), new == [(41000,)])
    shot("reporters")
    el('#rp-table tr[data-phone="+6281500000003"] .rp-remove').click()
    check("a reporter is taken away in one click", wait_for(lambda: reporter("+6281500000003") == [(0,)]))
    check("... and leaves the list", wait_for(lambda: not els('#rp-table tr[data-phone="+6281500000003"]')))
    reply, new = lapor("081500000003", "LAPOR CABAI PARE 42000")
    check("... whose LAPOR is refused again: %s" % reply.strip(), new == [] and "hanya pelapor" in reply)

    # Prices as a spreadsheet: the latest ones download as `price export
    # --excel` writes them; an upload is checked as `price import` checks
    # it, shown, and only the good rows written; the download reads back.
    got = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/prices.csv').then(r => r.arrayBuffer().then(b => done([r.status,
            Array.from(new Uint8Array(b))])));""")
    got[1] = bytes(got[1]).decode("utf-8")
    lines = got[1].split("\r\n")
    check("the latest prices download for Excel (BOM, ';'): %s" % lines[:3], got[0] == 200
          and lines[0] == "\ufeffcommodity;market;price;unit;date" and "CABAI;KEDIRI;90000;kg;" + datetime.date.today().isoformat() in lines
          and "BAWANG MERAH;PASAR LEGI;30000;kg;" + datetime.date.today().isoformat() in lines)
    survey = ("Komoditas;Pasar;Harga;Satuan;Tanggal\n"
              "Cabai rawit;Pare;45.000;kg;20/11/2026\n"
              "BAWANG;LEGI;murah;kg;\n"
              "JAGUNG;KEDIRI;Rp6.500,00;kg;2026-02-30\n"
              "JAGUNG;PARE;6.500,00;kg;\n")
    path = os.path.join(os.environ["KT_TMP"], "harga.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(survey)
    cli = subprocess.run([CLI, "-c", CONF, "price", "import", path], stderr=subprocess.PIPE, text=True).stderr
    before = sql("SELECT count(*) FROM prices")[0][0]
    upload("harga.csv", survey)
    check("the upload shows the columns it found", wait_for(lambda: "← Komoditas" in el("#csv-mapping").text
                                                             and "← Tanggal" in el("#csv-mapping").text))
    check("... the first good rows as they will be stored", "CABAI RAWIT" in el("#csv-preview").text
          and "2026-11-20" in el("#csv-preview").text and "45000" in el("#csv-preview").text)
    bad = [b.text for b in els("#csv-bad li")]
    check("... and the bad rows with their line and the CLI's reason: %s" % bad, bad == [
        'baris 3: price "murah" is not a price (try 45000, 45.000 or 45rb)',
        'baris 4: date "2026-02-30": expected YYYY-MM-DD or DD/MM/YYYY']
        and all(("harga.csv:%s: %s" % tuple(b[6:].split(": ", 1))) in cli for b in bad))
    shot("prices-csv")
    check("nothing is written before a choice", sql("SELECT count(*) FROM prices")[0][0] == before)
    check("the server refuses to write a file with bad rows without skip_bad (409)",
          forged_post("prices/import", {"csv": survey, "write": True}) == 409
          and sql("SELECT count(*) FROM prices")[0][0] == before)
    el("#csv-skip").click()
    check("the good rows are imported", wait_for(lambda: "2 harga baru" in el("#csv-done").text))
    check("... as published prices from the console", sql(
        "SELECT c.name, m.name, p.price, p.reported_on, p.status, p.source FROM prices p JOIN commodities c ON "
        "c.id = p.commodity_id JOIN markets m ON m.id = p.market_id WHERE p.id > (SELECT max(id) - 2 FROM prices) "
        "ORDER BY p.id") == [("CABAI RAWIT", "PARE", 45000, "2026-11-20", "published", "console"),
                             ("JAGUNG", "PARE", 6500, datetime.date.today().isoformat(), "published", "console")])
    check("... audited", sql("SELECT detail FROM audit WHERE actor = 'admin' AND action = 'console price import'") ==
          [("upload: 2 added, 0 already there, 2 bad skipped",)])
    check("... and shown in the table", wait_for(lambda: els('#pr-table tr[data-key="JAGUNG/PARE"]')))
    back = got[1]
    path = os.path.join(os.environ["KT_TMP"], "back.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(back)
    d.execute_script("document.getElementById('csv-result').textContent = ''")
    el("#csv-file").clear()
    el("#csv-file").send_keys(path)
    check("the download reads back whole", wait_for(lambda: els("#csv-import")) and not els("#csv-bad li")
          and "%d baris baik, 0 baris salah" % (len([x for x in lines if x]) - 1) in el("#csv-summary").text)
    el("#csv-import").click()
    check("... and importing it again adds nothing", wait_for(lambda: "0 harga baru" in el("#csv-done").text)
          and sql("SELECT count(*) FROM prices")[0][0] == before + 2)

    # Content: an INFO page and a reply text changed here answer by SMS.
    def answer(number, text):
        """The reply the modem sent to a text from number."""
        last = sql("SELECT COALESCE(max(id), 0) FROM outbox")[0][0]
        inject(number, text).wait(30)
        r = wait_for(lambda: sql("SELECT text FROM outbox WHERE recipient = ? AND id > ? AND state = 'sent'",
                                 "+62" + number[1:], last), 20)
        return r[0][0] if r else None
    el("#nav-content").click()
    wait_for(lambda: el("#if-topic"))
    el("#if-topic").send_keys("dua kata")
    el("#if-body").send_keys("x")
    el("#if-save").click()
    check("a bad topic is refused as the CLI says it", wait_for(lambda: 'topic "dua kata": one word' in el("#if-error").text))
    el("#if-topic").clear()
    el("#if-topic").send_keys("pupuk")
    el("#if-body").clear()
    el("#if-body").send_keys("Pupuk urea 2x per musim, 100 kg/ha.")
    el("#if-save").click()
    check("an INFO page is saved", wait_for(lambda: els('.info[data-topic="PUPUK"]')))
    check("... and INFO PUPUK answers with it", answer("081600000001", "INFO PUPUK") == "Pupuk urea 2x per musim, 100 kg/ha.")
    el("#tx-search").send_keys("help")
    wait_for(lambda: els('.text[data-key="help"][data-lang="id"] .tx-edit'))
    el('.text[data-key="help"][data-lang="id"] .tx-edit').click()
    box = '.text[data-key="help"][data-lang="id"] '
    el(box + ".tx-text").clear()
    el(box + ".tx-text").send_keys("Kirim HARGA CABAI {nama}")
    # An SMS arriving meanwhile does not re-render the page under the edit.
    check("... an SMS arrives while the text is being edited", answer("081600000009", "HARGA CABAI") is not None)
    time.sleep(1.5)  # past the live stream's one-a-second gap
    check("... and the edit stays open with what was typed",
          el(box + ".tx-text").get_attribute("value") == "Kirim HARGA CABAI {nama}")
    el(box + ".tx-save").click()
    check("a reply text refuses a placeholder it does not know",
          wait_for(lambda: "{nama} is not a placeholder of this text" in el(box + ".tx-error").text))
    el(box + ".tx-text").clear()
    el(box + ".tx-text").send_keys("Kirim: HARGA CABAI, INFO PUPUK, DAFTAR TANI24.")
    el(box + ".tx-save").click()
    check("a reply text is changed", wait_for(lambda: sql(
        "SELECT body FROM texts WHERE key = 'help' AND language = 'id'") == [("Kirim: HARGA CABAI, INFO PUPUK, DAFTAR TANI24.",)]))
    check("... and BANTUAN answers with it", answer("081600000002", "BANTUAN") == "Kirim: HARGA CABAI, INFO PUPUK, DAFTAR TANI24.")
    el("#al-phrase").send_keys("LOMBOK IJO")
    el("#al-target").send_keys("CABAI")
    el("#al-save").click()
    check("an alias is added, its kind guessed", wait_for(lambda: sql(
        "SELECT target, kind FROM aliases WHERE phrase = 'LOMBOK IJO'") == [("CABAI", "commodity")]))
    wait_for(lambda: els('#al-table tr[data-phrase="LOMBOK IJO"] .al-remove'))
    el('#al-table tr[data-phrase="LOMBOK IJO"] .al-remove').click()
    check("... and removed", wait_for(lambda: sql("SELECT count(*) FROM aliases WHERE phrase = 'LOMBOK IJO'")[0][0] == 0))
    # Custom keywords, as `keyword add` makes them.
    el("#kw-word").send_keys("HARGA")
    el("#kw-reply-id").send_keys("x")
    el("#kw-save").click()
    check("a keyword that exists is refused as the CLI says it",
          wait_for(lambda: "HARGA is a keyword already" in el("#kw-error").text))
    el("#kw-word").clear()
    el("#kw-word").send_keys("jadwal")
    el("#kw-reply-id").clear()
    el("#kw-reply-id").send_keys("Pelatihan tiap Sabtu 09.00 di balai desa.")
    check("the reply's SMS counter counts as the composer does", "41" in el("#kw-counter").text)
    el("#kw-save").click()
    check("a custom keyword is added", wait_for(lambda: sql(
        "SELECT action, reply_id FROM keyword_actions WHERE word = 'JADWAL'") == [("reply", "Pelatihan tiap Sabtu 09.00 di balai desa.")]
        and els('#kw-table tr[data-word="JADWAL"]')))
    check("... and answers a farmer's SMS", answer("081600000003", "jadwal") == "Pelatihan tiap Sabtu 09.00 di balai desa.")
    pick("#kw-action", "join")
    el("#kw-word").send_keys("IKUT")
    el("#kw-group").send_keys("PETANI")
    el("#kw-reply-id").send_keys("Anda masuk grup PETANI.")
    el("#kw-save").click()
    check("a keyword that joins a group is added", wait_for(lambda: sql(
        "SELECT action, group_name FROM keyword_actions WHERE word = 'IKUT'") == [("join", "PETANI")]))
    check("... and the sender joins the group", answer("081600000004", "IKUT") == "Anda masuk grup PETANI."
          and "PETANI" in groups_of("+6281600000004"))
    shot("content")
    el('#kw-table tr[data-word="JADWAL"] .kw-remove').click()
    check("a custom keyword is removed", wait_for(lambda: sql(
        "SELECT count(*) FROM keyword_actions WHERE word = 'JADWAL'")[0][0] == 0
        and not els('#kw-table tr[data-word="JADWAL"]')))
    check("keyword changes are audited", sql(
        "SELECT count(*) FROM audit WHERE action IN ('console keyword add', 'console keyword remove')")[0][0] == 3)

    # The USSD menu editor: a renamed node and a new one, seen in the
    # console's simulator and in a real /ussd session.
    def ussd(session, text):
        body = urllib.parse.urlencode({"sessionId": session, "phoneNumber": "+6281700000001",
                                       "serviceCode": "*123#", "text": text}).encode()
        with urllib.request.urlopen(URL + "/ussd", body, timeout=10) as r:
            return r.read().decode()
    root = sql("SELECT id FROM ussd_nodes WHERE parent_id IS NULL")[0][0]
    first = sql("SELECT id, label_id FROM ussd_nodes WHERE parent_id = ? AND position = 1", root)[0]
    el("#nav-ussd").click()
    wait_for(lambda: els('.node[data-id="%d"]' % first[0]))
    el('.node[data-id="%d"]' % first[0]).click()
    el("#un-label").clear()
    el("#un-label").send_keys("Harga hari ini")
    el("#un-save").click()
    check("a node is renamed", wait_for(lambda: sql(
        "SELECT label_id FROM ussd_nodes WHERE id = ?", first[0]) == [("Harga hari ini",)]))
    el("#us-new").click()
    pick("#un-parent", str(root))
    pick("#un-position", "1")
    el("#un-label").send_keys("Pupuk")
    pick("#un-action", "info")
    el("#un-args").send_keys("PUPUK")
    el("#un-save").click()
    check("a taken position is refused", wait_for(lambda: "position is taken" in el("#un-error").text))
    free = max(r[0] for r in sql("SELECT position FROM ussd_nodes WHERE parent_id = ?", root)) + 1
    pick("#un-position", str(free))
    el("#un-save").click()
    check("a node is added at %d" % free, wait_for(lambda: sql(
        "SELECT action, args FROM ussd_nodes WHERE label_id = 'Pupuk'") == [("info", "PUPUK")]))
    el("#us-dial").click()
    check("the simulator shows the renamed node", wait_for(lambda: "1. Harga hari ini" in el("#us-screen").text))
    el("#us-input").send_keys(str(free))
    el("#us-send").click()
    check("... and walks to the new one, which answers INFO PUPUK",
          wait_for(lambda: "Pupuk urea 2x per musim" in el("#us-screen").text))
    shot("ussd")
    screen = ussd("browser-1", "")
    check("a real /ussd session shows the change: " + screen.replace("\n", " | "),
          screen.startswith("CON") and "1. Harga hari ini" in screen and "%d. Pupuk" % free in screen)
    check("... and the new node answers there too", "Pupuk urea 2x per musim" in ussd("browser-1", str(free)))
    el('.node[data-keys="%d"]' % free).click()
    d.execute_script("window.confirm = function () { return true; }")
    el("#un-delete").click()
    check("a node is deleted", wait_for(lambda: sql("SELECT count(*) FROM ussd_nodes WHERE label_id = 'Pupuk'")[0][0] == 0))

    # Modems and settings, read-only, secrets masked.
    el("#nav-system").click()
    check("the modem's details are shown", wait_for(lambda: "up" in el('.modem[data-name="demo"]').text))
    check("the running settings are shown", wait_for(
        lambda: el('#sy-settings tr[data-key="cost_per_part"]').text.endswith("150")))
    check("... with the token masked", el('#sy-settings tr[data-key="http.token"]').text.endswith("****")
          and "browser-token" not in d.page_source)
    shot("system")

    # Polls and questions, read-only: a poll to a group of three answered
    # by SMS ("1", "ya pak", "2") shows its tally; a TANYA shows as an open
    # ticket tagged CABAI, then answered from the CLI.
    for n, who in (("081900000001", "Tini"), ("081900000002", "Tono"), ("081900000003", "Tuti")):
        kt("contact", "add", n, "--name", who, "--group", "JAJAK")
    kt("poll", "create", "PUPUK", "Apakah harga pupuk naik?", "--option", "1=Ya", "--option", "2=Tidak")
    kt("poll", "send", "PUPUK", "--to", "group:JAJAK")
    check("the poll is asked of the three", wait_for(lambda: sql(
        "SELECT count(*) FROM outbox WHERE text LIKE 'PUPUK: Apakah%' AND state = 'sent'")[0][0] == 3, 20))
    for n, a in (("081900000001", "1"), ("081900000002", "ya pak"), ("081900000003", "2")):
        inject(n, a).wait(30)
    kt("expert", "add", "081900000009", "--topic", "CABAI")
    inject("081900000001", "TANYA cabai daun keriting obatnya apa").wait(30)
    el("#nav-polls").click()
    check("the poll's tally is shown, as poll results counts it", wait_for(
        lambda: el('.poll[data-code="PUPUK"] .opt[data-key="1"]').text.startswith("1 = Ya: 2 (67%)")
        and el('.poll[data-code="PUPUK"] .opt[data-key="2"]').text.startswith("2 = Tidak: 1 (33%)")
        and "3 ditanya, 3 menjawab semua" in el('.poll[data-code="PUPUK"]').text))
    check("... with a bar per option", els('.poll[data-code="PUPUK"] .opt[data-key="1"] .bar span')[0]
          .value_of_css_property("width") != "0px")
    check("the question is an open ticket tagged CABAI", wait_for(
        lambda: el('#qs-table tr[data-id="1"]').get_attribute("data-state") == "open"
        and "CABAI" in el('#qs-table tr[data-id="1"]').text and "Tini" in el('#qs-table tr[data-id="1"]').text))
    check("the expert is listed with the topic", "CABAI" in el('.expert[data-phone="+6281900000009"]').text)
    kt("question", "answer", "1", "Semprot fungisida, cabut daun yang sakit")
    d.execute_script("location.hash = '#/dashboard'")
    d.execute_script("location.hash = '#/polls'")
    check("... and shows the answer once it is given", wait_for(
        lambda: el('#qs-table tr[data-id="1"]').get_attribute("data-state") == "answered"
        and "Semprot fungisida" in el('#qs-table tr[data-id="1"]').text))
    shot("polls")

    for width, mobile, what in ((360, True, "a 360 px phone"), (1280, False, "a 1280 px laptop")):
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": 740, "deviceScaleFactor": 1, "mobile": mobile})
        widths = []
        for page, ready, then in (("#/contacts", "#c-table", "#c-add"), ("#/broadcasts", ".bc", "#bc-next"),
                                  ("#/events/TANI24", "#ev-regs", "#ev-edit"), ("#/prices", "#pr-table", "#pf-save"),
                                  ("#/content", ".text", "#if-save"), ("#/ussd", ".node", "#us-new"),
                                  ("#/system", "#sy-settings", None), ("#/polls", ".poll", None)):
            d.execute_script("location.hash = '#/dashboard'")
            d.execute_script("location.hash = arguments[0]", page)
            wait_for(lambda: els(ready))
            widths.append(d.execute_script("return document.documentElement.scrollWidth"))
            if then:
                el(then).click()
                widths.append(d.execute_script("return document.documentElement.scrollWidth"))
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        check("every page and form fits %s: %s" % (what, widths), max(widths) <= width)
    d.execute_script("location.hash = '#/dashboard'")
    logout()

    # A viewer reads, with no button to change anything; the server refuses.
    bcs = sql("SELECT count(*) FROM broadcasts")[0][0]
    login("viewer", "pass-viewer-123")
    wait_for(lambda: el("#dashboard"))
    el("#nav-contacts").click()
    check("a viewer sees the contacts", wait_for(lambda: len(rows()) == sql("SELECT count(*) FROM contacts")[0][0]))
    check("... with no add button, no edit links, no upload", not els("#c-add") and not els(".c-edit")
          and not els("#csv-file"))
    d.execute_script("location.hash = '#/events/TANI24'")
    check("a viewer sees an event's registrants", wait_for(lambda: els("#ev-regs tr[data-phone]")))
    check("... with no button to change, remind, cancel or close", not els("#ev-edit") and not els("#ev-remind")
          and not els(".ev-cancel") and not els("#ev-close"))
    d.execute_script("location.hash = '#/polls'")
    check("a viewer reads the polls and questions", wait_for(lambda: els('.poll[data-code="PUPUK"] .opt')
                                                             and els('#qs-table tr[data-id="1"]')))
    check("... where there is no button at all", not els("#polls button"))
    d.execute_script("location.hash = '#/content'")
    check("a viewer reads the custom keywords", wait_for(lambda: els('#kw-table tr[data-word="IKUT"]')))
    check("... with no form to add one, no button to remove, no alias form", not els("#kw-save")
          and not els(".kw-remove") and not els("#al-save") and not els(".al-remove"))
    d.execute_script("location.hash = '#/prices'")
    check("a viewer sees the reporters and may download the prices", wait_for(lambda: els("#rp-table tr[data-phone]"))
          and els("#csv-download"))
    check("... with no button to add or take away a reporter, and no upload", not els("#rp-add")
          and not els(".rp-remove") and not els("#csv-file"))
    for path in ("settings", "contacts.csv"):
        check("a viewer may not read %s (403)" % path, d.execute_async_script(
            "var done = arguments[1]; fetch('/console/api/' + arguments[0]).then(r => done(r.status));", path) == 403)
    for path, body in (("contact", {"new": True, "phone": "081299990001", "name": "X"}),
                       ("contact/remove", {"phone": "081200000001"}),
                       ("group/join", {"phone": "081200000001", "group": "IBU"}),
                       ("group/leave", {"phone": "081200000001", "group": "PETANI"}),
                       ("contacts/import", {"csv": "phone\n081299990001\n", "write": True}),
                       ("broadcast", {"to": "all", "text": "forged"}),
                       ("broadcast/cancel", {"id": 1}), ("broadcast/retry", {"id": 1}),
                       ("event/save", {"new": True, "code": "X1", "title": "x", "quota": 1}),
                       ("event/cancel", {"code": "TANI24", "phone": "081400000002"}),
                       ("event/close", {"code": "TANI24"}),
                       ("event/remind", {"code": "TANI24", "force": True}),
                       ("price/set", {"commodity": "CABAI", "market": "KEDIRI", "price": "1"}),
                       ("price/review", {"id": 1, "approve": True}),
                       ("reporter", {"phone": "081500000001", "on": False}),
                       ("prices/import", {"csv": "commodity,market,price\nCABAI,KEDIRI,1\n", "write": True}),
                       ("info/set", {"topic": "X", "language": "id", "body": "x"}),
                       ("text/set", {"key": "help", "language": "id", "body": "x"}),
                       ("alias/add", {"phrase": "X", "target": "CABAI", "kind": ""}),
                       ("alias/remove", {"phrase": "CABE"}),
                       ("keyword/add", {"word": "X", "action": "ask", "group": "", "reply_id": "", "reply_en": ""}),
                       ("keyword/remove", {"word": "IKUT"}),
                       ("ussd/add", {"parent": 0, "position": 9, "label": "X"}), ("ussd/set", {"id": 1, "label": "X"}),
                       ("ussd/delete", {"id": 1}), ("ussd/sim", {"session": "s", "phone": "0812", "input": "", "steps": 0})):
        check("the server refuses a viewer's forged %s (403)" % path, forged_post(path, body) == 403)
    logout()
    login("operator", "pass-operator-123")
    wait_for(lambda: el("#dashboard"))
    el("#nav-broadcasts").click()
    check("an operator sees broadcasts' progress but no composer",
          wait_for(lambda: els(".bc")) and not els("#bc-form") and not els(".bc-cancel, .bc-retry"))
    check("an operator may not change the USSD menu (403)", forged_post("ussd/set", {"id": 1, "label": "X"}) == 403)
    check("an operator may not broadcast (403)", forged_post("broadcast", {"to": "all", "text": "forged"}) == 403)
    check("an operator may not add contacts either (403)",
          forged_post("contact", {"new": True, "phone": "081299990001"}) == 403)
    check("nothing forged was written", sql("SELECT count(*) FROM contacts WHERE phone = '+6281299990001'")[0][0] == 0
          and sql("SELECT count(*) FROM broadcasts")[0][0] == bcs
          and sql("SELECT count(*) FROM outbox WHERE text LIKE 'Jangan lupa:%'")[0][0] == 4
          and reporter("+6281500000001") == [(1,)]
          and sql("SELECT count(*) FROM prices WHERE price = 1")[0][0] == 0
          and groups_of("+6281200000001") == ["PETANI"])
    logout()
finally:
    d.quit()
sys.exit(1 if failed[0] else 0)
