-- The default USSD menu and the texts of the USSD screens, Indonesian and
-- English.  The menu is loaded only into an empty ussd_nodes table, so a
-- menu edited with `kentongan ussd menu ...` is never overwritten (delete
-- every node to get the default back); texts use INSERT OR IGNORE like
-- texts.sql.  Actions: price, info, event, sub, stop, lang (see README).

INSERT INTO ussd_nodes (id, parent_id, position, kind, label_id, label_en,
    body_id, body_en, action, args)
SELECT column1, column2, column3, column4, column5, column6, column7,
    column8, column9, column10 FROM (VALUES
	(1, NULL, 1, 'static', 'Kentongan', 'Kentongan',
	    'Kentongan:', 'Kentongan:', '', ''),
	(2, 1, 1, 'action', 'Harga pasar', 'Market prices', '', '', 'price', ''),
	(3, 1, 2, 'action', 'Info', 'Info', '', '', 'info', ''),
	(4, 1, 3, 'action', 'Daftar acara', 'Register for an event', '', '',
	    'event', ''),
	(5, 1, 4, 'action', 'Langganan harga', 'Price alerts', '', '', 'sub', ''),
	(6, 1, 5, 'action', 'Berhenti', 'Stop messages', '', '', 'stop', ''),
	(7, 1, 6, 'action', 'English', 'Bahasa Indonesia', '', '', 'lang', ''))
WHERE NOT EXISTS (SELECT 1 FROM ussd_nodes);

INSERT OR IGNORE INTO texts (key, language, body) VALUES
	('ussd.back', 'id', '0. Kembali'),
	('ussd.back', 'en', '0. Back'),
	('ussd.more', 'id', '00. Lagi'),
	('ussd.more', 'en', '00. More'),
	('ussd.invalid', 'id', 'Pilihan salah.'),
	('ussd.invalid', 'en', 'Invalid choice.'),
	('ussd.expired', 'id', 'Sesi berakhir. Silakan tekan {code} lagi.'),
	('ussd.expired', 'en', 'Session expired. Please dial {code} again.'),
	('ussd.error', 'id', 'Maaf, layanan sedang sibuk. Coba lagi nanti.'),
	('ussd.error', 'en', 'Sorry, the service is busy. Please try later.'),
	('ussd.empty', 'id', 'Belum ada pilihan.'),
	('ussd.empty', 'en', 'Nothing to choose yet.'),
	('ussd.commodity', 'id', 'Pilih komoditas:'),
	('ussd.commodity', 'en', 'Choose a commodity:'),
	('ussd.market', 'id', 'Pilih pasar:'),
	('ussd.market', 'en', 'Choose a market:'),
	('ussd.all_markets', 'id', 'Semua pasar'),
	('ussd.all_markets', 'en', 'All markets'),
	('ussd.topic', 'id', 'Pilih topik:'),
	('ussd.topic', 'en', 'Choose a topic:'),
	('ussd.event', 'id', 'Pilih acara:'),
	('ussd.event', 'en', 'Choose an event:'),
	('ussd.event_confirm', 'id', 'Daftar {title} ({code}), {date} di {place}?'),
	('ussd.event_confirm', 'en', 'Register for {title} ({code}), {date} at {place}?'),
	('ussd.stop_confirm', 'id', 'Berhenti menerima semua siaran dan harga?'),
	('ussd.stop_confirm', 'en', 'Stop all broadcasts and price alerts?'),
	('ussd.yes', 'id', 'Ya'),
	('ussd.yes', 'en', 'Yes'),
	('ussd.no', 'id', 'Tidak'),
	('ussd.no', 'en', 'No'),
	('ussd.cancelled', 'id', 'Dibatalkan. Terima kasih.'),
	('ussd.cancelled', 'en', 'Cancelled. Thank you.');
