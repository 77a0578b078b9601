-- Keywords and texts of admin broadcasts (SIAR / BC).  Loaded with INSERT
-- OR IGNORE on every start, like config/texts.sql.

INSERT OR IGNORE INTO keywords (word, command, language) VALUES
	('SIAR', 'siar', 'id'),
	('BC', 'siar', '');

INSERT OR IGNORE INTO texts (key, language, body) VALUES
	('siar.usage', 'id', 'Kirim SIAR <PIN> <grup|SEMUA> <pesan>, mis. SIAR 1234 PETANI Pelatihan Sabtu 09.00'),
	('siar.usage', 'en', 'Send BC <PIN> <group|ALL> <text>, e.g. BC 1234 FARMERS Training Saturday 09.00'),
	('siar.denied', 'id', 'Maaf, siaran ditolak.'),
	('siar.denied', 'en', 'Sorry, broadcast refused.'),
	('siar.locked', 'id', 'Terlalu banyak PIN salah. Coba lagi nanti.'),
	('siar.locked', 'en', 'Too many wrong PINs. Try again later.'),
	('siar.nogroup', 'id', 'Grup "{group}" tidak ada.'),
	('siar.nogroup', 'en', 'No group "{group}".'),
	('siar.ok', 'id', 'Siaran #{id} dikirim ke {count} nomor.'),
	('siar.ok', 'en', 'Broadcast #{id} queued to {count} numbers.'),
	('siar.done', 'id', 'Siaran #{id} selesai: {sent} terkirim, {failed} gagal, {cancelled} batal.'),
	('siar.done', 'en', 'Broadcast #{id} done: {sent} sent, {failed} failed, {cancelled} cancelled.');
