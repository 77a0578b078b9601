-- Words as farmers write them: a word or phrase mapped to a keyword, a
-- commodity or a market, or known as a filler ("berapa", "pak") to skip,
-- or as a thank-you that is stored but never answered.  Admins edit them
-- with `kentongan alias`; the defaults below are inserted once, so a
-- removed default stays removed.
CREATE TABLE aliases (
	phrase		TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,	-- upper case
	target		TEXT NOT NULL DEFAULT '',	-- '' for filler and ack
	kind		TEXT NOT NULL CHECK (kind IN ('keyword', 'commodity',
			    'market', 'filler', 'thanks')),
	created_at	INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO aliases (phrase, target, kind) VALUES
	('HRG', 'HARGA', 'keyword'),
	('HARGANYA', 'HARGA', 'keyword'),
	('UNREG', 'BERHENTI', 'keyword'),
	('HENTIKAN', 'BERHENTI', 'keyword'),
	('BERHENTIKAN', 'BERHENTI', 'keyword'),
	('CABE', 'CABAI', 'commodity'),
	('LOMBOK', 'CABAI', 'commodity'),
	('BRAMBANG', 'BAWANG MERAH', 'commodity'),
	('BERAPA', '', 'filler'), ('BRP', '', 'filler'), ('BRAPA', '', 'filler'),
	('BERAPAKAH', '', 'filler'), ('DI', '', 'filler'), ('PASAR', '', 'filler'), ('PSR', '', 'filler'),
	('YA', '', 'filler'), ('YAA', '', 'filler'), ('PAK', '', 'filler'),
	('BU', '', 'filler'), ('BUK', '', 'filler'), ('MAS', '', 'filler'),
	('MBAK', '', 'filler'), ('KAK', '', 'filler'), ('DONG', '', 'filler'),
	('HARI', '', 'filler'), ('INI', '', 'filler'), ('SEKARANG', '', 'filler'),
	('SKRG', '', 'filler'), ('SKRNG', '', 'filler'), ('CEK', '', 'filler'),
	('MOHON', '', 'filler'), ('TOLONG', '', 'filler'), ('MAU', '', 'filler'),
	('NIH', '', 'filler'), ('SIH', '', 'filler'), ('GAN', '', 'filler'),
	('HALO', '', 'filler'), ('HALLO', '', 'filler'), ('SELAMAT', '', 'filler'),
	('PAGI', '', 'filler'), ('SIANG', '', 'filler'), ('SORE', '', 'filler'),
	('MALAM', '', 'filler'), ('ASSALAMUALAIKUM', '', 'filler'),
	('OK', '', 'thanks'), ('OKE', '', 'thanks'), ('OKAY', '', 'thanks'),
	('SIP', '', 'thanks'), ('SIAP', '', 'thanks'), ('TERIMA', '', 'thanks'),
	('KASIH', '', 'thanks'), ('TERIMAKASIH', '', 'thanks'), ('MAKASIH', '', 'thanks'),
	('MAKASI', '', 'thanks'), ('MKSH', '', 'thanks'), ('TRIMS', '', 'thanks'),
	('TRIMAKASIH', '', 'thanks'), ('THANKS', '', 'thanks'), ('THANK', '', 'thanks'),
	('YOU', '', 'thanks'), ('THX', '', 'thanks'), ('MATUR', '', 'thanks'),
	('NUWUN', '', 'thanks'), ('BAIK', '', 'thanks'), ('MANTAP', '', 'thanks');

-- Custom keywords, FrontlineSMS's auto-replies: a keyword row with the
-- command 'custom' and what it does here (`kentongan keyword`).
CREATE TABLE keyword_actions (
	word		TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
	action		TEXT NOT NULL CHECK (action IN ('reply', 'join', 'ask')),
	reply_id	TEXT NOT NULL DEFAULT '',	-- '' = the standard text
	reply_en	TEXT NOT NULL DEFAULT '',
	group_name	TEXT NOT NULL DEFAULT '',	-- join: the group
	created_at	INTEGER NOT NULL
) WITHOUT ROWID;
