-- The help reply names TANYA / ASK (questions to experts, issue 19).  A
-- help text an admin changed is left as it is; only the old default is
-- replaced (a new database gets the new one from config/texts.sql).
UPDATE texts SET body = 'Kirim: HARGA CABAI, LANGGANAN CABAI, INFO, TANYA <pertanyaan>, DAFTAR nama#desa, DAFTAR/BATAL <kode>, GABUNG/KELUAR <grup>, BERHENTI, MULAI, BAHASA EN'
	WHERE key = 'help' AND language = 'id' AND body = 'Kirim: HARGA CABAI, LANGGANAN CABAI, INFO, DAFTAR nama#desa, DAFTAR <kode>, BATAL <kode>, GABUNG <grup>, KELUAR <grup>, BERHENTI, MULAI, BAHASA EN';
UPDATE texts SET body = 'Send: PRICE CABAI, SUB CABAI, INFO, ASK <question>, REG name#village, REG <code>, CANCEL <code>, JOIN <group>, LEAVE <group>, STOP, START, LANG ID'
	WHERE key = 'help' AND language = 'en' AND body = 'Send: PRICE CABAI, SUB CABAI, INFO, REG name#village, REG <code>, CANCEL <code>, JOIN <group>, LEAVE <group>, STOP, START, LANG ID';
