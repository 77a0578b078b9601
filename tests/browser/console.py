#!/usr/bin/env python3
"""The web console in chromium: log in, the live inbox, a reply that
reaches the dummy modem, the needs-a-person queue, roles, CSRF and the
lock-out.  Started by console.sh with a private daemon; every wait has a
deadline; prints "ok:" / "FAIL:" lines and exits 1 on any failure."""
import sys
import time

from kt import (URL, check, d, el, els, failed, inject, login,
                logout, needs, shot, sql, wait_for)

try:
    d.get(URL + "/console")
    check("/console shows the login form", wait_for(lambda: el("#login").is_displayed()))
    check("the page is Indonesian first", el("#login-submit").text == "Masuk")
    el("#login-lang").click()
    check("... with English one click away", el("#login-submit").text == "Log in")
    el("#login-lang").click()
    shot("login")
    cookies_js = d.execute_script("return document.cookie")

    # An admin logs in and sees the dashboard with its chart.
    login("admin", "pass-admin-123")
    check("admin logs in to the dashboard", wait_for(lambda: el("#dashboard h1").text == "Dasbor"))
    check("the session cookie is HttpOnly (not visible to scripts)",
          "kt_session" not in d.execute_script("return document.cookie"))
    c = d.get_cookie("kt_session")
    check("the cookie is SameSite=Strict and HttpOnly", c and c.get("sameSite") == "Strict" and c.get("httpOnly"))
    check("the 14-day chart renders as SVG bars",
          wait_for(lambda: len(els("#chart rect")) == 28))
    check("the dashboard says the modem is up", wait_for(lambda: "up" in el("#dashboard table").text))

    # An SMS on the modem appears in the open inbox without a reload.
    el("#nav-inbox").click()
    wait_for(lambda: el("#conversations"))
    d.execute_script("window.ktMarker = 42")
    question = "Pak, cabai saya daunnya keriting, obatnya apa?"
    p = inject("081234567890", question)
    t_db = wait_for(lambda: sql("SELECT count(*) FROM inbox WHERE sender = '+6281234567890'")[0][0] and time.monotonic(), 20, 0.005)
    shown = wait_for(lambda: els('.conv[data-phone="+6281234567890"]') and time.monotonic(), 10, 0.005)
    check("the SMS appears in the inbox", shown)
    if t_db and shown:
        print("  figure: inbox commit to the page showing it: %d ms" % ((shown - t_db) * 1000))
    check("... without a reload", d.execute_script("return window.ktMarker") == 42)
    check("the needs-a-person count on every page is 1", wait_for(lambda: needs() == "1"))
    p.wait(30)
    shot("inbox")

    # The thread, the counter and its fix, and a reply that reaches the modem.
    el('.conv[data-phone="+6281234567890"]').click()
    check("the thread shows the question marked as needing a person",
          wait_for(lambda: question in el(".msg.in.needs").text))
    check("... and kentongan's help reply in between", wait_for(lambda: len(els(".msg.out")) == 1))
    ta = el("#reply-text")
    ta.send_keys("Semprot fungisida, tanya PPL \u2019Bu Sri\u2019 \u2013 terima kasih")
    counter = el("#reply-counter").text
    check("the counter says UCS-2 and why: " + counter, "UCS-2" in counter and "karena \u2019" in counter)
    ta.send_keys(" " + "x" * 60)
    counter = el("#reply-counter").text
    check("... and the parts it costs: " + counter, "2 SMS karena \u2019" in counter)
    shot("thread")
    el("#reply-fix").click()
    for i in range(61):
        ta.send_keys("\b")
    counter = el("#reply-counter").text
    check("one click fixes the quotes and dash to GSM-7: " + counter,
          "GSM-7" in counter and "1 SMS" in counter and el("#reply-fix").get_attribute("hidden") is not None)
    el("#reply-send").click()
    sent = wait_for(lambda: sql("SELECT state, created_by, modem FROM outbox WHERE text = ?",
                                "Semprot fungisida, tanya PPL 'Bu Sri' - terima kasih"), 20)
    check("the reply is an outbox row by admin", sent and sent[0][1] == "admin")
    check("the reply reaches the modem (sent by demo)",
          wait_for(lambda: sql("SELECT state || ' ' || modem FROM outbox WHERE created_by = 'admin'")[0][0] == "sent demo", 20))
    check("the needs-a-person count goes down to 0", wait_for(lambda: needs() == "0"))
    check("the thread shows the reply and who sent it",
          wait_for(lambda: "admin" in els(".msg.out")[-1].text))

    # Dismissing from the needs-a-person page.
    p = inject("081299990000", "ada pupuk murah?")
    check("a second question is counted", wait_for(lambda: needs() == "1", 20))
    p.wait(30)
    el("#nav-needs").click()
    check("the needs page lists it", wait_for(lambda: els('.conv[data-phone="+6281299990000"]')))
    shot("needs")
    el('.conv[data-phone="+6281299990000"]').click()
    wait_for(lambda: els(".dismiss"))
    els(".dismiss")[0].click()
    check("dismiss takes it out of the queue", wait_for(lambda: needs() == "0"))

    # An operator's message to one contact who never wrote.
    el("#nav-inbox").click()
    wait_for(lambda: el("#new-phone"))
    el("#new-phone").send_keys("081355550000")
    el("#new-send").click()
    wait_for(lambda: el("#reply-text"))
    el("#reply-text").send_keys("Pertemuan kelompok tani Kamis jam 9.")
    el("#reply-send").click()
    check("a message to a new number reaches the modem",
          wait_for(lambda: sql("SELECT state, created_by FROM outbox WHERE recipient = '+6281355550000'") == [("sent", "admin")], 20))

    # The phone simulator answers through the real daemon.
    el("#nav-simulator").click()
    wait_for(lambda: el("#sim-text"))
    el("#sim-phone").clear()
    el("#sim-phone").send_keys("081277770000")
    el("#sim-text").send_keys("BANTUAN")
    el("#sim-send").click()
    check("the simulator shows kentongan's reply", wait_for(lambda: els(".sim-reply") and els(".sim-reply")[0].text, 20))
    check("... which went through the modem",
          sql("SELECT state FROM outbox WHERE recipient = '+6281277770000'") == [("sent",)])
    shot("simulator")

    # The audit log, for admins.
    el("#nav-audit").click()
    check("the audit log names who replied",
          wait_for(lambda: "console reply" in el("#audit").text and "admin" in el("#audit").text))
    shot("audit", 800)
    csv = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/audit.csv').then(r => r.text().then(t => done([r.status, t])));""")
    check("the audit log downloads as CSV", csv[0] == 200 and csv[1].startswith("id,at,actor,action,detail")
          and '"admin","console reply","+6281234567890"' in csv[1])
    el("#nav-dashboard").click()
    wait_for(lambda: len(els("#chart rect")) == 28)
    wait_for(lambda: "up" in el("#dashboard table").text)
    shot("dashboard")
    shot("dashboard-wide", 1100)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    widths = []
    for page, ready in (("#/dashboard", "#chart"), ("#/inbox", ".conv"), ("#/inbox/%2B6281234567890", ".msg"),
                        ("#/needs", "#conversations p"), ("#/simulator", "#sim-text"), ("#/audit", "#audit tr + tr")):
        d.execute_script("location.hash = arguments[0]", page)
        wait_for(lambda: els(ready))
        widths.append(d.execute_script("return document.documentElement.scrollWidth"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    check("every page fits a 360 px phone without sideways scrolling: %s" % widths, max(widths) <= 360)
    el("#nav-dashboard").click()
    logout()

    # A viewer reads but cannot reply: no button, and the server refuses.
    login("viewer", "pass-viewer-123")
    wait_for(lambda: el("#dashboard"))
    check("a viewer has no audit link", el("#nav-audit").get_attribute("hidden") is not None)
    d.get(URL + "/console/#/inbox/%2B6281234567890")
    check("a viewer sees the thread", wait_for(lambda: len(els(".msg")) >= 3))
    check("... with no reply box and no dismiss button", not els("#reply-text") and not els(".dismiss"))
    forged = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/me').then(r => r.json()).then(me =>
          fetch('/console/api/reply', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': me.csrf}, body: JSON.stringify({phone: '+6281234567890', text: 'forged'})}))
          .then(r => done(r.status));""")
    check("the server refuses a viewer's forged reply (403)", forged == 403)
    nocsrf = d.execute_async_script("""
        var done = arguments[0];
        fetch('/console/api/dismiss', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: '{"id": 1}'}).then(r => done(r.status));""")
    check("a POST without the CSRF token is refused (403)", nocsrf == 403)
    check("a viewer cannot read the audit log (403)", d.execute_async_script(
        "var done = arguments[0]; fetch('/console/api/audit.csv').then(r => done(r.status));") == 403)
    check("nothing forged reached the outbox", sql("SELECT count(*) FROM outbox WHERE text = 'forged'")[0][0] == 0)
    logout()
    check("after logout the API says 401",
          d.execute_async_script("var done = arguments[0]; fetch('/console/api/me').then(r => done(r.status));") == 401)

    # Wrong passwords: refused, and the fifth locks the account out.
    msgs = []
    for i in range(5):
        login("operator", "wrong-pass-%d" % i)
        wait_for(lambda: el("#login-error").text)
        msgs.append(el("#login-error").text)
        d.execute_script("document.getElementById('login-error').textContent = ''")
    check("a wrong password is refused", msgs[0] == "Nama atau kata sandi salah.")
    check("the first four say wrong, the fifth says locked: %s" % msgs,
          msgs[1:4] == [msgs[0]] * 3 and "dikunci" in msgs[4])
    login("operator", "pass-operator-123")
    wait_for(lambda: el("#login-error").text)
    check("locked out: even the right password is refused", "dikunci" in el("#login-error").text)
    shot("login-locked")
    check("every failure is recorded", sql("SELECT count(*) FROM login_failures WHERE name = 'operator'")[0][0] == 5)
finally:
    d.quit()
sys.exit(1 if failed[0] else 0)
