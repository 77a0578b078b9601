-- Default keywords and reply texts, Indonesian and English.  Loaded with
-- INSERT OR IGNORE on every start, so edits made in the database win.
-- Placeholders are {name}; keep standard replies within 160 GSM-7 chars.

INSERT OR IGNORE INTO keywords (word, command, language) VALUES
	('HARGA', 'price', 'id'),
	('PRICE', 'price', 'en'),
	('BANTUAN', 'help', 'id'),
	('HELP', 'help', 'en'),
	('?', 'help', '');

INSERT OR IGNORE INTO texts (key, language, body) VALUES
	('help', 'id', 'Kentongan: kirim HARGA <komoditas> [pasar], mis. HARGA CABAI atau HARGA CABAI KEDIRI. Bantuan: BANTUAN'),
	('help', 'en', 'Kentongan: send PRICE <commodity> [market], e.g. PRICE CABAI or PRICE CABAI KEDIRI. Help: HELP'),
	('unknown', 'id', 'Maaf, perintah tidak dikenal. Kirim HARGA <komoditas>, mis. HARGA CABAI. Bantuan: BANTUAN'),
	('unknown', 'en', 'Sorry, unknown command. Send PRICE <commodity>, e.g. PRICE CABAI. Help: HELP'),
	('price.usage', 'id', 'Kirim HARGA <komoditas> [pasar], mis. HARGA CABAI. Ada: {list}'),
	('price.usage', 'en', 'Send PRICE <commodity> [market], e.g. PRICE CABAI. Available: {list}'),
	('price.one', 'id', '{commodity}, {market} {date}: Rp{price}/{unit}{change}'),
	('price.one', 'en', '{commodity}, {market} {date}: Rp{price}/{unit}{change}'),
	('price.unknown', 'id', 'Komoditas "{query}" tidak dikenal.{suggest} Ada: {list}'),
	('price.unknown', 'en', 'Unknown commodity "{query}".{suggest} Available: {list}'),
	('price.suggest', 'id', ' Maksud Anda {name}?'),
	('price.suggest', 'en', ' Did you mean {name}?'),
	('price.market_unknown', 'id', 'Pasar "{query}" tidak dikenal. Harga {commodity} ada di: {list}'),
	('price.market_unknown', 'en', 'Unknown market "{query}". {commodity} prices are from: {list}'),
	('price.none', 'id', 'Belum ada harga {commodity}{market}.'),
	('price.none', 'en', 'No {commodity} price yet{market}.');
