/* kentongan console: one page, plain JavaScript, no libraries.
 * Talks to /console/api/ with the session cookie; every POST repeats the
 * session's CSRF token.  Text from the database is only ever written with
 * textContent, never as HTML. */
'use strict';
(function () {
var T = {
 id: {
  'nav.dashboard': 'Dasbor', 'nav.inbox': 'Kotak masuk', 'nav.needs': 'Perlu orang',
  'nav.simulator': 'Simulator', 'nav.audit': 'Audit', logout: 'Keluar',
  'login.name': 'Nama pengguna', 'login.password': 'Kata sandi', 'login.submit': 'Masuk',
  'login.bad': 'Nama atau kata sandi salah.',
  'login.locked': 'Terlalu banyak percobaan gagal. Akun dan alamat ini dikunci 15 menit.',
  'login.error': 'Tidak bisa masuk sekarang. Coba lagi.',
  modems: 'Modem', today: 'Hari ini', received: 'Diterima', answered: 'Dijawab',
  sent: 'Terkirim', delivered: 'Sampai', failed: 'Gagal', queued: 'Antrean',
  broadcasts: 'Siaran berjalan', days: 'Pesan 14 hari terakhir', 'in': 'masuk', out: 'keluar',
  signal: 'sinyal', balance: 'pulsa', state: 'keadaan', errors: 'galat',
  nowarn: 'Semua baik.',
  'w.modem_down': 'Modem {m} tidak aktif: SMS tidak diterima atau dikirim lewat modem ini.',
  'w.weak_signal': 'Sinyal modem {m} lemah ({n}%). Pindahkan modem atau antenanya.',
  'w.low_balance': 'Pulsa modem {m} tinggal Rp{n}. Mohon isi ulang.',
  'w.failures': '{n} SMS gagal terkirim hari ini. Periksa modem dan pulsa.',
  'w.queue_stuck': 'Ada SMS menunggu lebih dari {n} menit di antrean.',
  'w.needs': '{n} pesan menunggu jawaban dari orang.',
  search: 'Cari nomor, nama, atau isi pesan', empty: 'Belum ada pesan.',
  noneeds: 'Tidak ada pesan yang menunggu. Bagus!',
  write: 'Tulis ke nomor ini', back: '← Kembali', reply: 'Balas', send: 'Kirim', dismiss: 'Selesai tanpa balasan',
  needsmark: 'perlu orang', by: 'oleh', kentongan: 'kentongan', viewer: 'Anda hanya bisa membaca (peran viewer).',
  fix: 'Ganti tanda kutip/pisah', chars: '{c} karakter, {p} SMS ({e})',
  because: ' — {p} SMS karena {x}', because1: ' — UCS-2 karena {x}', ucs2: 'UCS-2: maks. 70 karakter per SMS', gsm: 'GSM-7',
  'sim.title': 'Simulator telepon', 'sim.help': 'Kirim SMS seolah-olah dari nomor ini; jawaban kentongan muncul di bawah.',
  'sim.phone': 'Nomor', 'sim.text': 'Pesan', 'sim.dry': '(uji saja: tanpa modem dummy, tidak ada yang disimpan)',
  'sim.wait': 'menunggu jawaban…', 'sim.noreply': '(tidak dijawab: {x})',
  'audit.title': 'Log audit', 'audit.csv': 'Unduh CSV', at: 'Waktu', actor: 'Siapa', action: 'Apa', detail: 'Rincian',
  'nav.contacts': 'Kontak',
  'c.search': 'Cari nomor, nama, atau desa', 'c.allgroups': 'Semua grup', 'c.allvillages': 'Semua desa',
  'c.alllang': 'Semua bahasa', 'c.anyopt': 'Berhenti atau tidak', 'c.opted': 'Berhenti (BERHENTI)', 'c.notopted': 'Menerima SMS',
  'c.count': '{n} kontak', 'c.more': '(menampilkan {n} pertama)', 'c.add': 'Tambah kontak', 'c.edit': 'Ubah kontak',
  'c.phone': 'Nomor', 'c.name': 'Nama', 'c.village': 'Desa', 'c.lang': 'Bahasa', 'c.groups': 'Grup',
  'c.groupshelp': 'Grup (dipisah ;)', 'c.optedout': 'Berhenti menerima SMS', 'c.save': 'Simpan', 'c.remove': 'Hapus kontak',
  'c.confirm': 'Hapus kontak {p}? Pesan lamanya tetap tersimpan.', 'c.join': 'Masukkan ke grup', 'c.leave': 'Keluarkan dari {g}',
  'c.saved': 'Tersimpan.', 'c.removed': 'Kontak dihapus.', 'c.none': 'Tidak ada kontak yang cocok.', 'c.default': 'bawaan',
  'c.reporter': 'pelapor', 'c.close': 'Tutup', 'c.members': '{n} anggota',
  'nav.system': 'Modem & pengaturan',
  'sy.modems': 'Modem', 'sy.settings': 'Pengaturan yang berjalan (hanya baca; rahasia disamarkan)', 'sy.recent': 'Gagal terakhir',
  'sy.norecent': 'Tidak ada kegagalan.', 'sy.file': 'Berkas: {f}. Ubah berkasnya lalu kentongan reload.',
  'nav.ussd': 'Menu USSD',
  'us.tree': 'Menu', 'us.new': 'Simpul baru', 'us.edit': 'Ubah simpul {k}', 'us.parent': 'Di bawah', 'us.top': '(menu utama)',
  'us.position': 'Nomor pilihan', 'us.label': 'Label', 'us.label_en': 'Label (English)', 'us.body': 'Teks di atas pilihan',
  'us.body_en': 'Teks (English)', 'us.action': 'Yang dilakukan', 'us.static': 'submenu/teks', 'us.args': 'Jawaban tetap (args)',
  'us.save': 'Simpan', 'us.delete': 'Hapus (dengan isinya)', 'us.deleteq': 'Hapus {l} dan semua di bawahnya?',
  'us.sim': 'Simulator USSD', 'us.dial': 'Panggil *123#', 'us.send': 'Kirim', 'us.ended': '(sesi selesai)',
  'a.price': 'harga', 'a.info': 'info', 'a.event': 'daftar acara', 'a.sub': 'langganan', 'a.stop': 'berhenti', 'a.lang': 'bahasa',
  'nav.content': 'Konten',
  'ct.info': 'Halaman INFO', 'ct.topic': 'Topik', 'ct.lang': 'Bahasa', 'ct.body': 'Isi', 'ct.save': 'Simpan', 'ct.saved': 'Tersimpan.',
  'ct.texts': 'Teks balasan', 'ct.search': 'Cari kunci atau isi', 'ct.fields': 'isian: {f}', 'ct.nofields': 'tanpa isian',
  'ct.cost': '{c} karakter, {p} SMS (dengan isian contoh)', 'ct.edit': 'Ubah', 'ct.preview': 'Contoh: ',
  'ct.aliases': 'Alias kata', 'ct.phrase': 'Kata/frasa petani', 'ct.target': 'Artinya', 'ct.kind': 'Jenis', 'ct.guess': '(tebak)',
  'ct.add': 'Tambah alias', 'ct.remove': 'Hapus',
  'kw.title': 'Kata kunci sendiri', 'kw.word': 'Kata kunci', 'kw.action': 'Tindakan', 'kw.reply': 'Balas dengan teks', 'kw.join': 'Masuk grup, lalu balas', 'kw.ask': 'Ke antrean "perlu orang"', 'kw.group': 'Grup', 'kw.replyid': 'Balasan (Indonesia)', 'kw.replyen': 'Balasan (English, boleh kosong)', 'kw.add': 'Tambah kata kunci', 'kw.none': 'Belum ada kata kunci sendiri.',
  'nav.prices': 'Harga',
  'pr.latest': 'Harga terakhir', 'pr.commodity': 'Komoditas', 'pr.market': 'Pasar', 'pr.price': 'Harga', 'pr.unit': 'Satuan',
  'pr.date': 'Tanggal', 'pr.change': 'Perubahan', 'pr.none': 'Belum ada harga.', 'pr.set': 'Catat harga', 'pr.save': 'Simpan',
  'pr.saved': 'Tersimpan; {n} pelanggan diberi tahu.', 'pr.held': 'Laporan ditahan', 'pr.noheld': 'Tidak ada laporan yang ditahan.',
  'pr.heldrow': '{c} {m}: Rp{p}/{u} ({d}) dari {r}', 'pr.was': ' — harga terbit Rp{p}', 'pr.approve': 'Terbitkan',
  'pr.reject': 'Tolak', 'pr.approved': 'Diterbitkan; {n} pelanggan diberi tahu.', 'pr.rejected': 'Ditolak.',
  'pr.history': 'Riwayat harga',
  'rp.title': 'Pelapor lapangan (LAPOR)', 'rp.none': 'Belum ada pelapor.', 'rp.reports': 'Laporan', 'rp.last': 'Terakhir',
  'rp.add': 'Jadikan pelapor', 'rp.remove': 'Cabut', 'rp.removeq': 'Cabut izin LAPOR {p}? Laporannya tetap tersimpan.',
  'rp.added': '{p} sekarang pelapor.', 'rp.removed': '{p} bukan pelapor lagi.',
  'pr.csvhelp': 'Kolom: commodity/komoditas, market/pasar, price/harga, unit/satuan, date/tanggal (kosong: hari ini). Harga dicatat terbit; pelanggan tidak diberi tahu (seperti kentongan price import). Belum ada yang disimpan sebelum Anda memilih.',
  'pr.csvdone': 'Selesai: {a} harga baru, {u} sudah ada.', 'pr.csvdownload': 'Unduh harga terakhir (CSV untuk Excel)',
  'nav.events': 'Acara',
  'ev.new': 'Acara baru', 'ev.code': 'Kode (untuk DAFTAR)', 'ev.title': 'Judul', 'ev.quota': 'Kuota', 'ev.deadline': 'Batas daftar',
  'ev.date': 'Tanggal dan jam (YYYY-MM-DD HH:MM)', 'ev.place': 'Tempat', 'ev.save': 'Simpan', 'ev.edit': 'Ubah acara',
  'ev.none': 'Belum ada acara.', 'ev.counts': '{c}/{q} terdaftar, {w} menunggu', 'ev.closed': 'ditutup', 'ev.open': 'buka',
  'ev.close': 'Tutup pendaftaran', 'ev.closeq': 'Tutup pendaftaran {c}? Tidak ada yang bisa mendaftar lagi.',
  'ev.csv': 'Unduh CSV', 'ev.regs': 'Pendaftar', 'ev.noregs': 'Belum ada pendaftar.',
  'ev.confirmed': 'terdaftar', 'ev.waitlisted': 'menunggu #{n}', 'ev.cancelled': 'batal', 'ev.cancel': 'Batalkan',
  'ev.cancelq': 'Batalkan pendaftaran {p}? Tempatnya diberikan ke antrean pertama, yang diberi tahu lewat SMS.',
  'ev.saved': 'Tersimpan.', 'ev.remind': 'Kirim pengingat SMS', 'ev.remindq': 'Kirim pengingat SMS ke {n} peserta terdaftar?',
  'ev.reminded': 'Pengingat dikirim ke {n} orang.', 'ev.optedout': ' ({m} berhenti, tidak dikirimi)',
  'ev.lastremind': 'Pengingat terakhir: {w}, ke {n} orang', 'ev.again': 'Kirim lagi', 'ev.againq': 'Kirim pengingat sekali lagi ke semua peserta terdaftar?',
  'nav.broadcasts': 'Siaran', 'nav.polls': 'Jajak & tanya',
  'pl.help': 'Hanya baca: jajak pendapat dibuat dan dikirim dengan kentongan poll; pertanyaan dijawab pakar lewat JAWAB atau kentongan question answer.',
  'pl.polls': 'Jajak pendapat dan survei', 'pl.none': 'Belum ada jajak pendapat.', 'pl.counts': '{k}, {s}: {a} ditanya, {c} menjawab semua',
  'pl.answered': '({n} jawaban)', 'pl.other': 'Jawaban lain: {n}',
  'qs.title': 'Pertanyaan ke pakar (TANYA)', 'qs.none': 'Belum ada pertanyaan.', 'qs.experts': 'Pakar', 'qs.noexperts': 'Belum ada pakar.',
  'qs.open': 'terbuka', 'qs.overdue': 'terlambat', 'qs.answered': 'dijawab', 'qs.topic': 'Topik', 'qs.text': 'Pertanyaan', 'qs.answer': 'Jawaban',
  'qs.all': 'semua topik',
  'bc.new': 'Siaran baru', 'bc.to': 'Kepada', 'bc.group': 'Grup', 'bc.all': 'Semua kontak', 'bc.subs': 'Pelanggan harga komoditas',
  'bc.event': 'Peserta acara', 'bc.numbers': 'Daftar nomor (tempel)', 'bc.confirmed': 'terdaftar', 'bc.waitlisted': 'daftar tunggu', 'bc.both': 'keduanya',
  'bc.reach': 'Menjangkau {n} orang', 'bc.opted': ' ({m} berhenti, tidak dikirimi)', 'bc.text': 'Pesan',
  'bc.fields': 'Sisipkan:', 'bc.worst': 'Terpanjang dengan {nama}/{desa}: {c} karakter, {p} SMS',
  'bc.when': 'Kapan', 'bc.now': 'Sekarang', 'bc.later': 'Nanti, pada:', 'bc.quiet': 'Jam tenang {q}: siaran menunggu sampai jam tenang selesai.',
  'bc.quietnow': 'Waktu ini masuk jam tenang ({q}): siaran baru berjalan setelahnya.',
  'bc.next': 'Lanjut', 'bc.check': 'Periksa sebelum mengirim', 'bc.parts': '{p} SMS per orang', 'bc.cost': 'Biaya: {n} orang × {p} SMS × Rp{c} = Rp{t}',
  'bc.nocost': 'Biaya: belum diketahui (atur cost_per_part di konfigurasi)', 'bc.at': 'Dikirim: {w}', 'bc.sendnow': 'segera',
  'bc.send': 'Ya, kirim', 'bc.edit': 'Ubah', 'bc.created': 'Siaran {id} dibuat.', 'bc.list': 'Siaran terakhir', 'bc.none': 'Belum ada siaran.',
  'bc.progress': '{q} antre, {s} terkirim, {d} sampai, {f} gagal', 'bc.cancel': 'Batalkan', 'bc.retry': 'Kirim ulang yang gagal ({n})',
  'bc.cancelq': 'Batalkan siaran {id}? Pesan yang masih antre tidak dikirim.',
  'csv.title': 'Unggah CSV', 'csv.help': 'Kolom: phone/nomor/hp, name/nama, village/desa, groups/grup, language/bahasa, opted_out/berhenti. Belum ada yang disimpan sebelum Anda memilih.',
  'csv.big': 'Berkas lebih dari {n} KB: pakai {c}, atau naikkan http.max_body.',
  'csv.mapping': 'Kolom yang dikenali', 'csv.absent': '(tidak ada)', 'csv.preview': 'Baris pertama',
  'csv.summary': '{g} baris baik, {b} baris salah.', 'csv.line': 'baris {n}: {x}', 'csv.all': 'Impor semua ({n})',
  'csv.good': 'Impor {n} baris yang baik, lewati yang salah', 'csv.fixall': 'Perbaiki baris yang salah, atau impor yang baik saja.',
  'csv.done': 'Selesai: {a} kontak baru, {u} diubah.', 'csv.download': 'Unduh semua kontak (CSV untuk Excel)', 'csv.bad': 'Berkas ditolak: {x}',
  err: 'Gagal: {x}'
 },
 en: {
  'nav.dashboard': 'Dashboard', 'nav.inbox': 'Inbox', 'nav.needs': 'Needs a person',
  'nav.simulator': 'Simulator', 'nav.audit': 'Audit', logout: 'Log out',
  'login.name': 'User name', 'login.password': 'Password', 'login.submit': 'Log in',
  'login.bad': 'Wrong name or password.',
  'login.locked': 'Too many failed tries. This account and address are locked for 15 minutes.',
  'login.error': 'Cannot log in now. Try again.',
  modems: 'Modems', today: 'Today', received: 'Received', answered: 'Answered',
  sent: 'Sent', delivered: 'Delivered', failed: 'Failed', queued: 'Queue',
  broadcasts: 'Broadcasts running', days: 'Messages, last 14 days', 'in': 'in', out: 'out',
  signal: 'signal', balance: 'balance', state: 'state', errors: 'errors',
  nowarn: 'All is well.',
  'w.modem_down': 'Modem {m} is not working: no SMS is received or sent through it.',
  'w.weak_signal': 'Modem {m} has a weak signal ({n}%). Move the modem or its antenna.',
  'w.low_balance': 'Modem {m} has only Rp{n} of credit left. Please top up.',
  'w.failures': '{n} SMS failed today. Check the modems and their credit.',
  'w.queue_stuck': 'An SMS has waited more than {n} minutes in the queue.',
  'w.needs': '{n} messages are waiting for a person to answer.',
  search: 'Search numbers, names or texts', empty: 'No messages yet.',
  noneeds: 'Nothing is waiting. Well done!',
  write: 'Write to this number', back: '← Back', reply: 'Reply', send: 'Send', dismiss: 'Done, no reply',
  needsmark: 'needs a person', by: 'by', kentongan: 'kentongan', viewer: 'You can only read (viewer role).',
  fix: 'Replace curly quotes/dashes', chars: '{c} characters, {p} SMS ({e})',
  because: ' — {p} SMS because of {x}', because1: ' — UCS-2 because of {x}', ucs2: 'UCS-2: at most 70 characters per SMS', gsm: 'GSM-7',
  'sim.title': 'Phone simulator', 'sim.help': 'Send an SMS as if from this number; kentongan\'s answer shows below.',
  'sim.phone': 'Number', 'sim.text': 'Message', 'sim.dry': '(test only: no dummy phone, nothing is stored)',
  'sim.wait': 'waiting for the answer…', 'sim.noreply': '(no answer: {x})',
  'audit.title': 'Audit log', 'audit.csv': 'Download CSV', at: 'When', actor: 'Who', action: 'What', detail: 'Detail',
  'nav.contacts': 'Contacts',
  'c.search': 'Search numbers, names or villages', 'c.allgroups': 'All groups', 'c.allvillages': 'All villages',
  'c.alllang': 'All languages', 'c.anyopt': 'Opted out or not', 'c.opted': 'Opted out (BERHENTI)', 'c.notopted': 'Receiving SMS',
  'c.count': '{n} contacts', 'c.more': '(showing the first {n})', 'c.add': 'Add a contact', 'c.edit': 'Change contact',
  'c.phone': 'Number', 'c.name': 'Name', 'c.village': 'Village', 'c.lang': 'Language', 'c.groups': 'Groups',
  'c.groupshelp': 'Groups (separated by ;)', 'c.optedout': 'Opted out of SMS', 'c.save': 'Save', 'c.remove': 'Remove contact',
  'c.confirm': 'Remove contact {p}? Their past messages stay.', 'c.join': 'Add to group', 'c.leave': 'Take out of {g}',
  'c.saved': 'Saved.', 'c.removed': 'Contact removed.', 'c.none': 'No contact matches.', 'c.default': 'default',
  'c.reporter': 'reporter', 'c.close': 'Close', 'c.members': '{n} members',
  'nav.system': 'Modems & settings',
  'sy.modems': 'Modems', 'sy.settings': 'Running configuration (read-only; secrets masked)', 'sy.recent': 'Recent failures',
  'sy.norecent': 'No failures.', 'sy.file': 'File: {f}. Edit it, then kentongan reload.',
  'nav.ussd': 'USSD menu',
  'us.tree': 'Menu', 'us.new': 'New node', 'us.edit': 'Change node {k}', 'us.parent': 'Under', 'us.top': '(main menu)',
  'us.position': 'Choice number', 'us.label': 'Label', 'us.label_en': 'Label (English)', 'us.body': 'Text above the choices',
  'us.body_en': 'Text (English)', 'us.action': 'What it does', 'us.static': 'submenu/text', 'us.args': 'Fixed answers (args)',
  'us.save': 'Save', 'us.delete': 'Delete (with all under it)', 'us.deleteq': 'Delete {l} and everything under it?',
  'us.sim': 'USSD simulator', 'us.dial': 'Dial *123#', 'us.send': 'Send', 'us.ended': '(session over)',
  'a.price': 'price', 'a.info': 'info', 'a.event': 'event registration', 'a.sub': 'subscribe', 'a.stop': 'stop', 'a.lang': 'language',
  'nav.content': 'Content',
  'ct.info': 'INFO pages', 'ct.topic': 'Topic', 'ct.lang': 'Language', 'ct.body': 'Text', 'ct.save': 'Save', 'ct.saved': 'Saved.',
  'ct.texts': 'Reply texts', 'ct.search': 'Search keys or texts', 'ct.fields': 'fields: {f}', 'ct.nofields': 'no fields',
  'ct.cost': '{c} characters, {p} SMS (with sample fields)', 'ct.edit': 'Change', 'ct.preview': 'Preview: ',
  'ct.aliases': 'Word aliases', 'ct.phrase': 'Farmers\' word or phrase', 'ct.target': 'Means', 'ct.kind': 'Kind', 'ct.guess': '(guess)',
  'ct.add': 'Add alias', 'ct.remove': 'Remove',
  'kw.title': 'Custom keywords', 'kw.word': 'Keyword', 'kw.action': 'Action', 'kw.reply': 'Reply with a text', 'kw.join': 'Join a group, then reply', 'kw.ask': 'To the "needs a person" queue', 'kw.group': 'Group', 'kw.replyid': 'Reply (Indonesian)', 'kw.replyen': 'Reply (English, may be empty)', 'kw.add': 'Add keyword', 'kw.none': 'No custom keywords yet.',
  'nav.prices': 'Prices',
  'pr.latest': 'Latest prices', 'pr.commodity': 'Commodity', 'pr.market': 'Market', 'pr.price': 'Price', 'pr.unit': 'Unit',
  'pr.date': 'Date', 'pr.change': 'Change', 'pr.none': 'No prices yet.', 'pr.set': 'Record a price', 'pr.save': 'Save',
  'pr.saved': 'Saved; {n} subscribers told.', 'pr.held': 'Held reports', 'pr.noheld': 'No report is held.',
  'pr.heldrow': '{c} {m}: Rp{p}/{u} ({d}) from {r}', 'pr.was': ' — published price Rp{p}', 'pr.approve': 'Publish',
  'pr.reject': 'Reject', 'pr.approved': 'Published; {n} subscribers told.', 'pr.rejected': 'Rejected.',
  'pr.history': 'Price history',
  'rp.title': 'Field reporters (REPORT)', 'rp.none': 'No reporters yet.', 'rp.reports': 'Reports', 'rp.last': 'Last',
  'rp.add': 'Make a reporter', 'rp.remove': 'Take away', 'rp.removeq': 'Take REPORT away from {p}? Their reports stay.',
  'rp.added': '{p} is now a reporter.', 'rp.removed': '{p} is no longer a reporter.',
  'pr.csvhelp': 'Columns: commodity/komoditas, market/pasar, price/harga, unit/satuan, date/tanggal (empty: today). Prices are published; subscribers are not told (as kentongan price import). Nothing is saved until you choose.',
  'pr.csvdone': 'Done: {a} new prices, {u} already there.', 'pr.csvdownload': 'Download the latest prices (CSV for Excel)',
  'nav.events': 'Events',
  'ev.new': 'New event', 'ev.code': 'Code (for DAFTAR)', 'ev.title': 'Title', 'ev.quota': 'Quota', 'ev.deadline': 'Registration deadline',
  'ev.date': 'Date and time (YYYY-MM-DD HH:MM)', 'ev.place': 'Place', 'ev.save': 'Save', 'ev.edit': 'Change event',
  'ev.none': 'No events yet.', 'ev.counts': '{c}/{q} confirmed, {w} waiting', 'ev.closed': 'closed', 'ev.open': 'open',
  'ev.close': 'Close registration', 'ev.closeq': 'Close registration for {c}? Nobody can register any more.',
  'ev.csv': 'Download CSV', 'ev.regs': 'Registrants', 'ev.noregs': 'Nobody has registered yet.',
  'ev.confirmed': 'confirmed', 'ev.waitlisted': 'waiting #{n}', 'ev.cancelled': 'cancelled', 'ev.cancel': 'Cancel',
  'ev.cancelq': 'Cancel {p}\'s registration? The place goes to the first waiting, who is told by SMS.',
  'ev.saved': 'Saved.', 'ev.remind': 'Send an SMS reminder', 'ev.remindq': 'Send an SMS reminder to the {n} confirmed registrants?',
  'ev.reminded': 'Reminder sent to {n} people.', 'ev.optedout': ' ({m} opted out, not sent)',
  'ev.lastremind': 'Last reminder: {w}, to {n} people', 'ev.again': 'Send again', 'ev.againq': 'Send the reminder once more to every confirmed registrant?',
  'nav.broadcasts': 'Broadcasts', 'nav.polls': 'Polls & questions',
  'pl.help': 'Read-only: polls are made and sent with kentongan poll; questions are answered by experts with JAWAB or by kentongan question answer.',
  'pl.polls': 'Polls and surveys', 'pl.none': 'No polls yet.', 'pl.counts': '{k}, {s}: {a} asked, {c} answered everything',
  'pl.answered': '({n} answers)', 'pl.other': 'Other answers: {n}',
  'qs.title': 'Questions to experts (TANYA)', 'qs.none': 'No questions yet.', 'qs.experts': 'Experts', 'qs.noexperts': 'No experts yet.',
  'qs.open': 'open', 'qs.overdue': 'overdue', 'qs.answered': 'answered', 'qs.topic': 'Topic', 'qs.text': 'Question', 'qs.answer': 'Answer',
  'qs.all': 'every topic',
  'bc.new': 'New broadcast', 'bc.to': 'To', 'bc.group': 'Group', 'bc.all': 'All contacts', 'bc.subs': 'Price subscribers of a commodity',
  'bc.event': 'An event\'s participants', 'bc.numbers': 'A list of numbers (paste)', 'bc.confirmed': 'confirmed', 'bc.waitlisted': 'waitlisted', 'bc.both': 'both',
  'bc.reach': 'Reaches {n} people', 'bc.opted': ' ({m} opted out, not sent)', 'bc.text': 'Message',
  'bc.fields': 'Insert:', 'bc.worst': 'Longest with {nama}/{desa}: {c} characters, {p} SMS',
  'bc.when': 'When', 'bc.now': 'Now', 'bc.later': 'Later, at:', 'bc.quiet': 'Quiet hours {q}: broadcasts wait until they end.',
  'bc.quietnow': 'This time is in quiet hours ({q}): the broadcast starts after them.',
  'bc.next': 'Next', 'bc.check': 'Check before sending', 'bc.parts': '{p} SMS per person', 'bc.cost': 'Cost: {n} people × {p} SMS × Rp{c} = Rp{t}',
  'bc.nocost': 'Cost: unknown (set cost_per_part in the configuration)', 'bc.at': 'Goes: {w}', 'bc.sendnow': 'now',
  'bc.send': 'Yes, send', 'bc.edit': 'Change', 'bc.created': 'Broadcast {id} created.', 'bc.list': 'Latest broadcasts', 'bc.none': 'No broadcasts yet.',
  'bc.progress': '{q} queued, {s} sent, {d} delivered, {f} failed', 'bc.cancel': 'Cancel', 'bc.retry': 'Resend the failed ({n})',
  'bc.cancelq': 'Cancel broadcast {id}? Its queued messages are not sent.',
  'csv.title': 'Upload CSV', 'csv.help': 'Columns: phone/nomor/hp, name/nama, village/desa, groups/grup, language/bahasa, opted_out/berhenti. Nothing is saved until you choose.',
  'csv.big': 'The file is over {n} KB: use {c}, or raise http.max_body.',
  'csv.mapping': 'Columns found', 'csv.absent': '(none)', 'csv.preview': 'First rows',
  'csv.summary': '{g} good rows, {b} bad rows.', 'csv.line': 'line {n}: {x}', 'csv.all': 'Import all ({n})',
  'csv.good': 'Import the {n} good rows, skip the bad', 'csv.fixall': 'Fix the bad rows, or import only the good ones.',
  'csv.done': 'Done: {a} new contacts, {u} changed.', 'csv.download': 'Download every contact (CSV for Excel)', 'csv.bad': 'File refused: {x}',
  err: 'Failed: {x}'
 }
};
var lang = localStorage.getItem('kt-lang') === 'en' ? 'en' : 'id';
var me = null, live = null, view = document.getElementById('view');
var loginForm = document.getElementById('login');

function t(k, v) {
	var s = (T[lang][k] || k);
	Object.keys(v || {}).forEach(function (n) { s = s.split('{' + n + '}').join(v[n]); });
	return s;
}
function $(id) { return document.getElementById(id); }
/* h('div', {class: 'x'}, 'text', child, [children]...): an element, text as text. */
function h(tag, attrs) {
	var e = document.createElement(tag), i;
	Object.keys(attrs || {}).forEach(function (k) {
		if (k === 'on') Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
		else e.setAttribute(k, attrs[k]);
	});
	function add(c) {
		if (c === null || c === undefined) return;
		if (Array.isArray(c)) c.forEach(add);
		else e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
	}
	for (i = 2; i < arguments.length; i++) add(arguments[i]);
	return e;
}
function when(at) {
	return new Date(at * 1000).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB',
	    { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
function api(path, body) {
	var o = { credentials: 'same-origin', headers: {} };
	if (body !== undefined) {
		o.method = 'POST';
		o.headers['Content-Type'] = 'application/json';
		o.headers['X-CSRF-Token'] = me ? me.csrf : '';
		o.body = JSON.stringify(body);
	}
	return fetch('/console/api/' + path, o).then(function (r) {
		return r.json().catch(function () { return {}; }).then(function (j) {
			if (r.status === 401 && path !== 'login') { showLogin(); }
			j.status = r.status;
			return j;
		});
	});
}
function can(role) {
	var order = ['viewer', 'operator', 'admin'];
	return me && order.indexOf(me.role) >= order.indexOf(role);
}
function translate() {
	document.documentElement.lang = lang;
	document.querySelectorAll('[data-t]').forEach(function (e) { e.textContent = t(e.getAttribute('data-t')); });
	$('lang').textContent = lang === 'id' ? 'EN' : 'ID';
	$('login-lang').textContent = lang === 'id' ? 'English' : 'Bahasa Indonesia';
}
function setNeeds(n) {
	var b = $('needs-count');
	b.textContent = n;
	b.className = 'badge' + (n > 0 ? '' : ' zero');
}

/* --- login ---------------------------------------------------------- */
function showLogin() {
	me = null;
	if (live) { live.close(); live = null; }
	$('top').hidden = true;
	view.textContent = '';
	view.appendChild(loginForm);
	loginForm.hidden = false;
	$('login-name').focus();
}
loginForm.addEventListener('submit', function (ev) {
	ev.preventDefault();
	$('login-error').textContent = '';
	api('login', { name: $('login-name').value, password: $('login-password').value }).then(function (j) {
		$('login-password').value = '';
		if (j.status === 200) { start(j); return; }
		$('login-error').textContent = t(j.status === 429 ? 'login.locked' : j.status === 401 ? 'login.bad' : 'login.error');
	});
});
$('logout').addEventListener('click', function () {
	api('logout', {}).then(function () { location.hash = ''; showLogin(); });
});
function toggleLang() {
	lang = lang === 'id' ? 'en' : 'id';
	localStorage.setItem('kt-lang', lang);
	translate();
	if (me) route();
}
$('lang').addEventListener('click', toggleLang);
$('login-lang').addEventListener('click', toggleLang);

function start(j) {
	me = j;
	loginForm.hidden = true;
	$('top').hidden = false;
	$('who').textContent = me.name + ' (' + me.role + ')';
	$('nav-audit').hidden = !can('admin');
	setNeeds(me.needs);
	if (!live && window.EventSource) {
		live = new EventSource('/console/api/events');
		live.addEventListener('inbox', function (ev) {
			var d = JSON.parse(ev.data);
			setNeeds(d.needs);
			/* Only pages that show messages: a page with a form open
			 * would lose what is being typed. */
			if (refresh && refresh.live) refresh();
		});
	}
	route();
}

/* --- pages ---------------------------------------------------------- */
var refresh = null;	/* the current page's reload; .live: on live events too */
function page(title) {
	view.textContent = '';
	var c = h('section', { class: 'card' }, h('h1', {}, title));
	view.appendChild(c);
	return c;
}
function route() {
	var hash = location.hash.replace(/^#\/?/, ''), parts = hash.split('/');
	document.querySelectorAll('nav a').forEach(function (a) {
		a.className = a.getAttribute('href') === '#/' + parts[0] ? 'on' : '';
	});
	refresh = null;
	if (parts[0] === 'inbox' && parts[1]) return thread(decodeURIComponent(parts[1]));
	if (parts[0] === 'inbox') return inbox(false);
	if (parts[0] === 'needs') return inbox(true);
	if (parts[0] === 'simulator') return simulator();
	if (parts[0] === 'contacts') return contacts();
	if (parts[0] === 'broadcasts') return broadcasts();
	if (parts[0] === 'polls') return polls();
	if (parts[0] === 'prices') return prices();
	if (parts[0] === 'content') return content();
	if (parts[0] === 'ussd') return ussdPage();
	if (parts[0] === 'system') return system();
	if (parts[0] === 'events' && parts[1]) return eventPage(decodeURIComponent(parts[1]));
	if (parts[0] === 'events') return events();
	if (parts[0] === 'audit' && can('admin')) return audit();
	return dashboard();
}
window.addEventListener('hashchange', function () { if (me) route(); });

function stat(label, n) { return h('div', { class: 'stat' }, h('b', {}, n), label); }

function dashboard() {
	var c = page(t('nav.dashboard'));
	c.id = 'dashboard';
	refresh = function () {
		api('dashboard').then(function (d) {
			if (d.status !== 200 || !c.isConnected) return;
			c.textContent = '';
			c.appendChild(h('h1', {}, t('nav.dashboard')));
			var w = h('div', { id: 'warnings' });
			if (!d.warnings.length) w.appendChild(h('p', { class: 'ok' }, t('nowarn')));
			d.warnings.forEach(function (x) {
				w.appendChild(h('div', { class: 'warn' }, t('w.' + x.code, { m: x.modem, n: x.n })));
			});
			c.appendChild(w);
			c.appendChild(h('h2', {}, t('today') + ' (' + d.date + ')'));
			var g = h('div', { class: 'grid' });
			['received', 'answered', 'sent', 'delivered', 'failed', 'queued', 'broadcasts'].forEach(function (k) {
				g.appendChild(stat(t(k), d.today[k]));
			});
			c.appendChild(g);
			c.appendChild(h('h2', {}, t('days')));
			c.appendChild(chart(d.days, d.date, d.ndays));
			c.appendChild(h('h2', {}, t('modems')));
			var tb = h('table', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('state')), h('th', {}, t('signal')),
			    h('th', {}, t('balance')), h('th', {}, t('received')), h('th', {}, t('sent')), h('th', {}, t('errors'))));
			d.modems.forEach(function (m) {
				tb.appendChild(h('tr', {}, h('td', {}, m.name), h('td', {}, m.state),
				    h('td', {}, m.signal === null || m.signal === undefined ? '–' : m.signal + '%'),
				    h('td', {}, m.balance_amount ? 'Rp' + m.balance_amount : (m.balance || '–')),
				    h('td', {}, m.received || 0), h('td', {}, m.sent || 0), h('td', {}, m.errors || 0)));
			});
			c.appendChild(h('div', { class: 'scroll' }, tb));
		});
	};
	refresh.live = true;
	refresh();
}

/* The last n days as bars, in and out, drawn as inline SVG. */
function chart(days, today, n) {
	var ns = 'http://www.w3.org/2000/svg', by = {}, list = [], i, max = 1;
	var d0 = new Date(today + 'T12:00:00');
	days.forEach(function (d) { by[d.day] = d; });
	for (i = n - 1; i >= 0; i--) {
		var d = new Date(d0.getTime() - i * 86400000);
		var key = d.getFullYear() + '-' + ('0' + (d.getMonth() + 1)).slice(-2) + '-' + ('0' + d.getDate()).slice(-2);
		var v = by[key] || { 'in': 0, out: 0 };
		list.push({ key: key, label: d.getDate(), 'in': v['in'], out: v.out });
		max = Math.max(max, v['in'], v.out);
	}
	var W = 28 * n, H = 120, svg = document.createElementNS(ns, 'svg');
	svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 14));
	svg.setAttribute('id', 'chart');
	svg.setAttribute('role', 'img');
	svg.setAttribute('aria-label', t('days'));
	function el(name, a, text) {
		var e = document.createElementNS(ns, name);
		Object.keys(a).forEach(function (k) { e.setAttribute(k, a[k]); });
		if (text !== undefined) e.textContent = text;
		svg.appendChild(e);
		return e;
	}
	list.forEach(function (x, j) {
		var hi = Math.round(x['in'] / max * H), ho = Math.round(x.out / max * H);
		el('rect', { class: 'in', x: j * 28 + 3, y: H - hi, width: 10, height: hi }).appendChild(
		    document.createElementNS(ns, 'title')).textContent = x.key + ': ' + x['in'] + ' ' + t('in');
		el('rect', { class: 'out', x: j * 28 + 14, y: H - ho, width: 10, height: ho }).appendChild(
		    document.createElementNS(ns, 'title')).textContent = x.key + ': ' + x.out + ' ' + t('out');
		el('text', { x: j * 28 + 8, y: H + 11 }, x.label);
	});
	return h('div', {}, svg, h('small', {}, '■ ' + t('in') + '  □ ' + t('out')));
}

function inbox(needsOnly) {
	var c = page(t(needsOnly ? 'nav.needs' : 'nav.inbox'));
	var q = h('input', { id: 'search', type: 'search', placeholder: t('search'), maxlength: 60 });
	var list = h('div', { id: 'conversations' });
	if (!needsOnly) c.appendChild(q);
	if (!needsOnly && can('operator')) {
		var np = h('input', { id: 'new-phone', inputmode: 'tel', maxlength: 20, placeholder: '0812…' });
		var nf = h('form', { class: 'row' }, np, h('button', { id: 'new-send', type: 'submit' }, t('write')));
		nf.addEventListener('submit', function (ev) {
			ev.preventDefault();
			if (np.value.trim()) location.hash = '#/inbox/' + encodeURIComponent(np.value.trim());
		});
		c.appendChild(nf);
	}
	c.appendChild(list);
	refresh = function () {
		api('conversations?q=' + encodeURIComponent(q.value) + (needsOnly ? '&needs=1' : '')).then(function (d) {
			if (d.status !== 200) return;
			setNeeds(d.needs);
			list.textContent = '';
			if (!d.conversations.length) list.appendChild(h('p', {}, t(needsOnly ? 'noneeds' : 'empty')));
			d.conversations.forEach(function (x) {
				list.appendChild(h('a', { class: 'conv', href: '#/inbox/' + encodeURIComponent(x.phone), 'data-phone': x.phone },
				    h('time', {}, when(x.at)), h('b', {}, x.name ? x.name + ' · ' + x.phone : x.phone), ' ',
				    x.needs ? h('span', { class: 'badge' }, x.needs) : null, h('div', { class: 'last' }, x.last)));
			});
		});
	};
	refresh.live = true;
	var timer = null;
	q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
	refresh();
}

/* GSM 03.38: the basic set, and the extension set that costs two. */
var GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
var GSMX = '^{}\\[~]|€\f';
var FIX = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
    '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00a0': ' ' };
/* How a text goes out: its encoding, its SMS parts, what forced UCS-2. */
function smsInfo(s) {
	var n = 0, bad = [], ch, units;
	for (ch of s) {
		if (GSM.indexOf(ch) >= 0) n += 1;
		else if (GSMX.indexOf(ch) >= 0) n += 2;
		else if (bad.indexOf(ch) < 0) bad.push(ch);
	}
	if (!bad.length) return { enc: 'gsm', chars: n, parts: n <= 160 ? 1 : Math.ceil(n / 153), bad: bad };
	units = s.length;	/* UTF-16 code units, as UCS-2 counts them */
	return { enc: 'ucs2', chars: units, parts: units <= 70 ? 1 : Math.ceil(units / 67), bad: bad };
}
function fixText(s) { return s.replace(/[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2013\u2014\u2026\u00a0]/g, function (c) { return FIX[c]; }); }

function thread(phone) {
	var c = page(phone);
	c.insertBefore(h('a', { href: '#/inbox' }, t('back')), c.firstChild);
	var box = h('div', { class: 'thread', id: 'thread' });
	c.appendChild(box);
	refresh = function () {
		api('thread?phone=' + encodeURIComponent(phone)).then(function (d) {
			if (d.status !== 200) return;
			box.textContent = '';
			d.messages.forEach(function (m) {
				var who = m.dir === 'out' ? (m.by ? t('by') + ' ' + m.by : t('kentongan')) + ' · ' + m.state : (m.needs ? t('needsmark') : m.note);
				var div = h('div', { class: 'msg ' + m.dir + (m.needs ? ' needs' : ''), 'data-id': m.id },
				    m.text, h('small', {}, when(m.at) + ' · ' + who));
				if (m.needs && can('operator'))
					div.appendChild(h('button', { class: 'plain dismiss', type: 'button', on: { click: function () {
						api('dismiss', { id: m.id }).then(function (r) { if (r.status === 200) { setNeeds(r.needs); refresh(); } });
					} } }, t('dismiss')));
				box.appendChild(div);
			});
		});
	};
	refresh.live = true;
	refresh();
	if (!can('operator')) { c.appendChild(h('p', { class: 'counter' }, t('viewer'))); return; }
	var ta = h('textarea', { id: 'reply-text', rows: 3, maxlength: 1600 });
	var counter = h('div', { id: 'reply-counter', class: 'counter' });
	var fix = h('button', { id: 'reply-fix', type: 'button', class: 'plain', hidden: '' }, t('fix'));
	var send = h('button', { id: 'reply-send', type: 'button' }, t('send'));
	var err = h('p', { class: 'error' });
	function count() {
		var i = smsInfo(ta.value);
		counter.className = 'counter' + (i.enc === 'ucs2' ? ' ucs2' : '');
		counter.textContent = t('chars', { c: i.chars, p: i.parts, e: i.enc === 'gsm' ? t('gsm') : t('ucs2') }) +
		    (i.enc === 'ucs2' ? t(i.parts > 1 ? 'because' : 'because1', { p: i.parts, x: i.bad.join(' ') }) : '');
		fix.hidden = fixText(ta.value) === ta.value;
		send.disabled = !ta.value.trim();
	}
	ta.addEventListener('input', count);
	fix.addEventListener('click', function () { ta.value = fixText(ta.value); count(); });
	send.addEventListener('click', function () {
		send.disabled = true;
		api('reply', { phone: phone, text: ta.value }).then(function (r) {
			if (r.status !== 202) { err.textContent = t('err', { x: r.error || r.status }); send.disabled = false; return; }
			ta.value = ''; err.textContent = ''; count(); setNeeds(r.needs); refresh();
			[1000, 3000, 6000].forEach(function (ms) { setTimeout(function () { if (box.isConnected) refresh(); }, ms); });
		});
	});
	c.appendChild(h('h2', {}, t('reply')));
	c.appendChild(ta);
	c.appendChild(counter);
	c.appendChild(h('div', { class: 'row' }, send, fix));
	c.appendChild(err);
	count();
}

function simulator() {
	var c = page(t('sim.title'));
	c.appendChild(h('p', {}, t('sim.help')));
	var ph = h('input', { id: 'sim-phone', value: localStorage.getItem('kt-sim') || '081234567890', maxlength: 20, inputmode: 'tel' });
	var tx = h('input', { id: 'sim-text', placeholder: 'HARGA CABAI', maxlength: 480 });
	var send = h('button', { id: 'sim-send', type: 'submit' }, t('send'));
	var log = h('div', { class: 'thread', id: 'sim-log' });
	var form = h('form', {}, h('label', {}, t('sim.phone'), ph), h('div', { class: 'row' }, tx, send));
	c.appendChild(form);
	c.appendChild(log);
	if (!can('operator')) { send.disabled = true; c.appendChild(h('p', { class: 'counter' }, t('viewer'))); }
	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		if (!tx.value.trim()) return;
		var text = tx.value;
		localStorage.setItem('kt-sim', ph.value);
		log.appendChild(h('div', { class: 'msg in' }, text, h('small', {}, ph.value)));
		tx.value = '';
		api('simulate', { phone: ph.value, text: text }).then(function (r) {
			if (r.status === 200) {
				log.appendChild(h('div', { class: 'msg out sim-reply' }, r.reply || t('sim.noreply', { x: r.note }), h('small', {}, t('sim.dry'))));
				return;
			}
			if (r.status !== 202) { log.appendChild(h('p', { class: 'error' }, t('err', { x: r.error || r.status }))); return; }
			var wait = h('div', { class: 'msg out' }, t('sim.wait'));
			log.appendChild(wait);
			watch(r.phone, text, wait, 0);
		});
	});
}
/* Look for the answer to a simulated text in its thread, a few times. */
function watch(phone, text, slot, tries) {
	api('thread?phone=' + encodeURIComponent(phone)).then(function (d) {
		var ms = d.messages || [], i, found = -1, m;
		for (i = ms.length - 1; i >= 0; i--) if (ms[i].dir === 'in' && ms[i].text === text) { found = i; break; }
		for (i = found + 1; found >= 0 && i < ms.length; i++) {
			m = ms[i];
			if (m.dir === 'out' && m.state !== 'queued' && m.state !== 'sending') {
				slot.className = 'msg out sim-reply';
				slot.textContent = m.text;
				slot.appendChild(h('small', {}, when(m.at) + ' · ' + m.state));
				return;
			}
		}
		if (found >= 0 && ms[found].state === 'ignored') { slot.textContent = t('sim.noreply', { x: ms[found].note }); return; }
		if (tries < 40 && slot.isConnected) setTimeout(function () { watch(phone, text, slot, tries + 1); }, 500);
	});
}

function audit() {
	var c = page(t('audit.title'));
	c.appendChild(h('p', {}, h('a', { href: '/console/api/audit.csv', id: 'audit-csv', download: 'kentongan-audit.csv' }, t('audit.csv'))));
	var tb = h('table', { id: 'audit' }, h('tr', {}, h('th', {}, t('at')), h('th', {}, t('actor')), h('th', {}, t('action')), h('th', {}, t('detail'))));
	c.appendChild(h('div', { class: 'scroll' }, tb));
	api('audit').then(function (d) {
		(d.audit || []).forEach(function (a) {
			tb.appendChild(h('tr', {}, h('td', {}, a.at), h('td', {}, a.actor), h('td', {}, a.action), h('td', {}, a.detail)));
		});
	});
}

/* --- contacts and groups ------------------------------------------- */
function select(id, first, opts) {
	var s = h('select', { id: id }, h('option', { value: '' }, first));
	opts.forEach(function (o) { s.appendChild(h('option', { value: o[0] }, o[1])); });
	return s;
}
function field(label, input) { return h('label', { class: 'field' }, h('span', {}, label), input); }
function contacts() {
	var c = page(t('nav.contacts'));
	c.id = 'contacts';
	var q = h('input', { id: 'c-search', type: 'search', placeholder: t('c.search'), maxlength: 60 });
	var fg = select('c-group', t('c.allgroups'), []), fv = select('c-village', t('c.allvillages'), []);
	var fl = select('c-lang', t('c.alllang'), [['id', 'Indonesia'], ['en', 'English'], ['-', t('c.default')]]);
	var fo = select('c-opted', t('c.anyopt'), [['1', t('c.opted')], ['0', t('c.notopted')]]);
	var count = h('p', { id: 'c-count', class: 'counter' }), list = h('div', { class: 'scroll' });
	var form = h('div', { id: 'c-form' });
	c.appendChild(q);
	c.appendChild(h('div', { class: 'row filters' }, fg, fv, fl, fo));
	if (can('admin')) c.appendChild(h('div', { class: 'row' }, h('button', { id: 'c-add', type: 'button', on: { click: function () { edit(null); } } }, t('c.add'))));
	c.appendChild(form);
	c.appendChild(count);
	c.appendChild(list);
	function filters() {
		api('groups').then(function (d) {
			if (d.status !== 200) return;
			[[fg, d.groups.map(function (g) { return [g.name, g.name + ' (' + t('c.members', { n: g.members }) + ')']; })],
			 [fv, d.villages.map(function (v) { return [v, v]; })]].forEach(function (x) {
				var keep = x[0].value;
				while (x[0].options.length > 1) x[0].remove(1);
				x[1].forEach(function (o) { x[0].appendChild(h('option', { value: o[0] }, o[1])); });
				x[0].value = keep;
			});
		});
	}
	function load() {
		api('contacts?q=' + encodeURIComponent(q.value) + '&group=' + encodeURIComponent(fg.value) + '&village=' +
		    encodeURIComponent(fv.value) + '&lang=' + fl.value + '&opted=' + fo.value).then(function (d) {
			if (d.status !== 200) return;
			count.textContent = t('c.count', { n: d.total }) + (d.total > d.contacts.length ? ' ' + t('c.more', { n: d.contacts.length }) : '');
			list.textContent = '';
			if (!d.contacts.length) { list.appendChild(h('p', {}, t('c.none'))); return; }
			var tb = h('table', { id: 'c-table' }, h('tr', {}, h('th', {}, t('c.phone')), h('th', {}, t('c.name')),
			    h('th', {}, t('c.village')), h('th', {}, t('c.groups'))));
			d.contacts.forEach(function (x) {
				var tr = h('tr', { 'data-phone': x.phone, class: x.opted_out ? 'opted' : '' },
				    h('td', {}, can('admin') ? h('a', { href: '#/contacts', class: 'c-edit', on: { click: function (ev) { ev.preventDefault(); edit(x); } } }, x.phone) : x.phone),
				    h('td', {}, x.name, x.reporter ? h('small', {}, ' · ' + t('c.reporter')) : null),
				    h('td', {}, x.village), h('td', {}, x.groups.split(';').join(', '),
				    x.opted_out ? h('span', { class: 'badge' }, t('c.opted')) : null));
				tb.appendChild(tr);
			});
			list.appendChild(tb);
		});
	}
	/* The form for a contact (x) or a new one (null); admins only. */
	function edit(x) {
		var isNew = !x;
		x = x || { phone: '', name: '', village: '', language: '', groups: '', opted_out: false };
		var ph = h('input', { id: 'cf-phone', value: x.phone, maxlength: 20, inputmode: 'tel' });
		if (!isNew) ph.readOnly = true;
		var nm = h('input', { id: 'cf-name', value: x.name, maxlength: 47 });
		var vi = h('input', { id: 'cf-village', value: x.village, maxlength: 47 });
		var la = select('cf-lang', t('c.default'), [['id', 'Indonesia'], ['en', 'English']]);
		la.value = x.language;
		var gr = h('input', { id: 'cf-groups', value: '', maxlength: 200, placeholder: 'PETANI;IBU' });
		var op = h('input', { id: 'cf-opted', type: 'checkbox' });
		op.checked = !!x.opted_out;
		var err = h('p', { class: 'error', id: 'cf-error' });
		var f = h('form', { class: 'card sub' }, h('h2', {}, isNew ? t('c.add') : t('c.edit')),
		    field(t('c.phone'), ph), field(t('c.name'), nm), field(t('c.village'), vi), field(t('c.lang'), la),
		    field(isNew ? t('c.groupshelp') : t('c.join'), gr), h('label', { class: 'check' }, op, ' ' + t('c.optedout')));
		if (!isNew && x.groups) {
			var chips = h('div', { class: 'row', id: 'cf-chips' });
			x.groups.split(';').forEach(function (g) {
				chips.appendChild(h('button', { type: 'button', class: 'plain chip', 'data-group': g, title: t('c.leave', { g: g }), on: { click: function () {
					api('group/leave', { phone: x.phone, group: g }).then(function (r) {
						if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
						x.groups = x.groups.split(';').filter(function (y) { return y !== g; }).join(';');
						edit(x); load(); filters();
					});
				} } }, g + ' ×'));
			});
			f.appendChild(chips);
		}
		var save = h('button', { id: 'cf-save', type: 'submit' }, t('c.save'));
		var row = h('div', { class: 'row' }, save, h('button', { type: 'button', class: 'plain', on: { click: function () { form.textContent = ''; } } }, t('c.close')));
		if (!isNew) row.appendChild(h('button', { id: 'cf-remove', type: 'button', class: 'danger', on: { click: function () {
			if (!confirm(t('c.confirm', { p: x.phone }))) return;
			api('contact/remove', { phone: x.phone }).then(function (r) {
				if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
				form.textContent = ''; count.textContent = t('c.removed'); load(); filters();
			});
		} } }, t('c.remove')));
		f.appendChild(row);
		f.appendChild(err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			save.disabled = true;
			api('contact', { 'new': isNew, phone: ph.value, name: nm.value, village: vi.value, language: la.value,
			    groups: gr.value, opted_out: op.checked }).then(function (r) {
				save.disabled = false;
				if (r.status !== 200 && r.status !== 201) { err.textContent = t('err', { x: r.error || r.status }); return; }
				form.textContent = '';
				form.appendChild(h('p', { class: 'ok', id: 'cf-saved' }, t('c.saved') + ' ' + r.phone));
				load(); filters();
			});
		});
		form.textContent = '';
		form.appendChild(f);
		(isNew ? ph : nm).focus();
	}
	var timer = null;
	q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(load, 250); });
	[fg, fv, fl, fo].forEach(function (s) { s.addEventListener('change', load); });
	if (can('admin')) c.appendChild(upload({ path: 'contacts/import', help: t('csv.help'), cli: 'kentongan contact import',
	    cols: [['phone', t('c.phone')], ['name', t('c.name')], ['village', t('c.village')], ['groups', t('c.groups')]],
	    done: function (r) { return t('csv.done', { a: r.added, u: r.updated }); }, after: function () { load(); filters(); },
	    download: ['/console/api/contacts.csv', 'kentongan-contacts.csv', t('csv.download')] }));
	filters();
	load();
}

/*
 * A CSV upload (contacts, prices): checked on the server as the CLI's
 * import checks it, shown (columns found, first rows, bad rows), then
 * written only when asked.  o: path, help, cols [[key, label]], done(r),
 * download [href, file, label], after().
 */
function upload(o) {
	var MAX = 60;	/* KB: under http.max_body's default 64 KB */
	var file = h('input', { id: 'csv-file', type: 'file', accept: '.csv,text/csv' });
	var out = h('div', { id: 'csv-result' }), text = '';
	function send(write, skip) {
		return api(o.path, { csv: text, write: write, skip_bad: skip }).then(function (r) {
			out.textContent = '';
			if (r.status !== 200) { out.appendChild(h('p', { class: 'error', id: 'csv-error' }, t('csv.bad', { x: r.error || r.status }))); return; }
			if (r.written) { out.appendChild(h('p', { class: 'ok', id: 'csv-done' }, o.done(r))); o.after(); return; }
			show(r);
		});
	}
	function show(r) {
		var m = h('table', { id: 'csv-mapping' });
		Object.keys(r.mapping).forEach(function (k) {
			m.appendChild(h('tr', {}, h('td', {}, k), h('td', {}, r.mapping[k] === null ? t('csv.absent') : '← ' + r.mapping[k])));
		});
		var p = h('table', { id: 'csv-preview' }, h('tr', {}, h('th', {}, '#'), o.cols.map(function (c) { return h('th', {}, c[1]); })));
		r.preview.forEach(function (x) {
			p.appendChild(h('tr', {}, h('td', {}, x.line), o.cols.map(function (c) {
				return h('td', {}, c[0] === 'groups' ? x.groups.split(';').join(', ') : x[c[0]]);
			})));
		});
		var bad = h('ul', { id: 'csv-bad', class: 'error' });
		r.bad.forEach(function (b) { bad.appendChild(h('li', { 'data-line': b.line }, t('csv.line', { n: b.line, x: b.why }))); });
		out.appendChild(h('h2', {}, t('csv.mapping')));
		out.appendChild(h('div', { class: 'scroll' }, m));
		out.appendChild(h('h2', {}, t('csv.preview')));
		out.appendChild(h('div', { class: 'scroll' }, p));
		out.appendChild(h('p', { id: 'csv-summary' }, t('csv.summary', { g: r.good, b: r.nbad })));
		out.appendChild(bad);
		var row = h('div', { class: 'row' });
		if (!r.nbad && r.good) row.appendChild(h('button', { id: 'csv-import', type: 'button', on: { click: function () { send(true, false); } } }, t('csv.all', { n: r.good })));
		if (r.nbad) row.appendChild(h('p', {}, t('csv.fixall')));
		if (r.nbad && r.good) row.appendChild(h('button', { id: 'csv-skip', type: 'button', class: 'plain', on: { click: function () { send(true, true); } } }, t('csv.good', { n: r.good })));
		out.appendChild(row);
	}
	file.addEventListener('change', function () {
		var f = file.files[0];
		out.textContent = '';
		if (!f) return;
		if (f.size > MAX * 1024) { out.appendChild(h('p', { class: 'error', id: 'csv-error' }, t('csv.big', { n: MAX, c: o.cli }))); return; }
		var rd = new FileReader();
		rd.onload = function () { text = rd.result; send(false, false); };
		rd.readAsText(f, 'utf-8');
	});
	return h('div', { class: 'card sub', id: 'csv' }, h('h2', {}, t('csv.title')), h('p', { class: 'counter' }, o.help), file, out,
	    h('p', {}, h('a', { id: 'csv-download', href: o.download[0], download: o.download[1] }, o.download[2])));
}

/* --- broadcasts ----------------------------------------------------- */
function rupiah(n) { return n.toLocaleString('id-ID'); }
function broadcasts() {
	var c = page(t('nav.broadcasts'));
	c.id = 'broadcasts';
	var info = null, list = h('div', { id: 'bc-list' });
	if (can('admin')) c.appendChild(composer());
	c.appendChild(h('h2', {}, t('bc.list')));
	c.appendChild(list);
	refresh = function () {
		api('broadcasts').then(function (d) {
			if (d.status !== 200 || !list.isConnected) return;
			if (!info) { info = d; if (c.fill) c.fill(d); }
			info.cost_per_part = d.cost_per_part;
			list.textContent = '';
			if (!d.broadcasts.length) list.appendChild(h('p', {}, t('bc.none')));
			d.broadcasts.forEach(function (b) { list.appendChild(bcRow(b)); });
		});
	};
	function bcRow(b) {
		var total = Math.max(b.recipients, b.queued + b.sent + b.delivered + b.failed + b.cancelled, 1);
		var bar = h('div', { class: 'bar' });
		[['delivered', b.delivered], ['sent', b.sent], ['failed', b.failed], ['queued', b.queued]].forEach(function (x) {
			if (x[1]) bar.appendChild(h('span', { class: x[0], style: 'width:' + (100 * x[1] / total) + '%', title: t(x[0]) + ': ' + x[1] }));
		});
		var row = h('div', { class: 'bc', 'data-id': b.id, 'data-state': b.state },
		    h('time', {}, when(b.at)), h('b', {}, '#' + b.id + ' ' + b.target), ' · ' + b.state + ' · ' + b.by,
		    h('div', { class: 'last' }, b.text), bar,
		    h('small', { class: 'bc-counts' }, t('bc.progress', { q: b.queued, s: b.sent, d: b.delivered, f: b.failed })));
		if (can('admin') && (b.state === 'scheduled' || b.state === 'queued'))
			row.appendChild(h('button', { type: 'button', class: 'plain bc-cancel', on: { click: function () {
				if (confirm(t('bc.cancelq', { id: b.id }))) api('broadcast/cancel', { id: b.id }).then(refresh);
			} } }, t('bc.cancel')));
		if (can('admin') && b.failed)
			row.appendChild(h('button', { type: 'button', class: 'plain bc-retry', on: { click: function () {
				api('broadcast/retry', { id: b.id }).then(refresh);
			} } }, t('bc.retry', { n: b.failed })));
		return row;
	}
	/* The composer: audience, text, when; then a check, then send. */
	function composer() {
		var kind = select('bc-kind', t('bc.group'), [['all', t('bc.all')], ['subscribers', t('bc.subs')], ['event', t('bc.event')], ['numbers', t('bc.numbers')]]);
		kind.options[0].value = 'group';
		var name = h('select', { id: 'bc-name' });
		var which = select('bc-which', t('bc.confirmed'), [['waitlisted', t('bc.waitlisted')], ['both', t('bc.both')]]);
		which.options[0].value = 'confirmed';
		var nums = h('textarea', { id: 'bc-numbers', rows: 3, placeholder: '0812…\n0813…' });
		var reach = h('p', { id: 'bc-reach', class: 'counter' });
		var ta = h('textarea', { id: 'bc-text', rows: 4, maxlength: 3999 });
		var counter = h('div', { id: 'bc-counter', class: 'counter' });
		var worst = h('div', { id: 'bc-worst', class: 'counter' });
		var whenSel = select('bc-when', t('bc.now'), [['later', t('bc.later')]]);
		whenSel.options[0].value = 'now';
		var at = h('input', { id: 'bc-at', type: 'datetime-local' });
		var quiet = h('p', { id: 'bc-quiet', class: 'counter' });
		var err = h('p', { class: 'error', id: 'bc-error' });
		var next = h('button', { id: 'bc-next', type: 'submit' }, t('bc.next'));
		var check = h('div', { id: 'bc-check' });
		var size = null, timer = null;
		function spec() {
			var k = kind.value;
			if (k === 'all' || k === 'numbers') return k;
			if (k === 'event') return 'event:' + name.value + ':' + which.value;
			return k + ':' + name.value;
		}
		function whenText() { return whenSel.value === 'later' && at.value ? at.value.replace('T', ' ') : ''; }
		function body() { return { to: spec(), numbers: nums.value, at: whenText() }; }
		function names() {
			if (!c.info) return;
			var k = kind.value, list = k === 'group' ? c.info.groups : k === 'subscribers' ? c.info.commodities : k === 'event' ? c.info.events : [];
			name.textContent = '';
			list.forEach(function (n) { name.appendChild(h('option', { value: n }, n)); });
			name.hidden = !list.length;
			which.hidden = k !== 'event';
			nums.hidden = k !== 'numbers';
		}
		function parts(sz) {
			var i = smsInfo(ta.value);
			counter.className = 'counter' + (i.enc === 'ucs2' ? ' ucs2' : '');
			counter.textContent = t('chars', { c: i.chars, p: i.parts, e: i.enc === 'gsm' ? t('gsm') : t('ucs2') }) +
			    (i.enc === 'ucs2' ? t(i.parts > 1 ? 'because' : 'because1', { p: i.parts, x: i.bad.join(' ') }) : '');
			var w = ta.value.split('{nama}').join('x'.repeat(sz ? sz.name_max : 47)).split('{desa}').join('x'.repeat(sz ? sz.village_max : 47));
			var wi = smsInfo(w);
			worst.textContent = w !== ta.value ? t('bc.worst', { c: wi.chars, p: wi.parts }) : '';
			return wi.parts;
		}
		function count() {
			clearTimeout(timer);
			timer = setTimeout(function () {
				api('broadcast/audience', body()).then(function (r) {
					if (r.status !== 200) { size = null; reach.textContent = t('err', { x: r.error || r.status }); return; }
					size = r;
					reach.textContent = t('bc.reach', { n: r.reach }) + (r.opted_out ? t('bc.opted', { m: r.opted_out }) : '');
					parts(size);
				});
			}, 200);
		}
		var f = h('form', { class: 'card sub', id: 'bc-form' }, h('h2', {}, t('bc.new')),
		    field(t('bc.to'), kind), h('div', { class: 'row' }, name, which), nums, reach,
		    field(t('bc.text'), ta),
		    h('div', { class: 'row' }, h('span', { class: 'counter' }, t('bc.fields')), chip('{nama}'), chip('{desa}')), counter, worst,
		    field(t('bc.when'), whenSel), at, quiet, h('div', { class: 'row' }, next), err, check);
		/* A button that puts a personalisation field where the cursor is. */
		function chip(x) {
			return h('button', { type: 'button', class: 'plain chip', 'data-field': x, on: { click: function () {
				var p = ta.selectionStart || ta.value.length;
				ta.value = ta.value.slice(0, p) + x + ta.value.slice(p);
				ta.dispatchEvent(new Event('input'));
			} } }, x);
		}
		at.hidden = true;
		kind.addEventListener('change', function () { names(); count(); });
		[name, which, whenSel, at].forEach(function (e) { e.addEventListener('change', function () { at.hidden = whenSel.value !== 'later'; count(); }); });
		nums.addEventListener('input', count);
		ta.addEventListener('input', function () { parts(size); check.textContent = ''; });
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			err.textContent = '';
			check.textContent = '';
			if (!ta.value.trim()) { ta.focus(); return; }
			var b = body();
			api('broadcast/audience', b).then(function (r) {
				if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
				size = r;
				var p = parts(r), cpp = c.info.cost_per_part;
				var box = h('div', { class: 'card confirm', id: 'bc-confirm' }, h('h2', {}, t('bc.check')),
				    h('p', {}, t('bc.to') + ': ' + r.target + ' — ' + t('bc.reach', { n: r.reach }) + (r.opted_out ? t('bc.opted', { m: r.opted_out }) : '')),
				    h('p', {}, t('bc.parts', { p: p })),
				    h('p', { id: 'bc-cost' }, cpp ? t('bc.cost', { n: r.reach, p: p, c: rupiah(cpp), t: rupiah(r.reach * p * cpp) }) : t('bc.nocost')),
				    h('p', {}, t('bc.at', { w: r.at ? when(r.at) : t('bc.sendnow') })),
				    r.quiet ? h('p', { class: 'warn' }, t('bc.quietnow', { q: c.info.quiet_hours })) : null);
				var send = h('button', { id: 'bc-send', type: 'button' }, t('bc.send'));
				send.addEventListener('click', function () {
					send.disabled = true;
					b.text = ta.value;
					api('broadcast', b).then(function (x) {
						if (x.status !== 201) { err.textContent = t('err', { x: x.error || x.status }); send.disabled = false; return; }
						check.textContent = '';
						check.appendChild(h('p', { class: 'ok', id: 'bc-created' }, t('bc.created', { id: x.id })));
						ta.value = ''; parts(size); refresh();
					});
				});
				box.appendChild(h('div', { class: 'row' }, send, h('button', { type: 'button', class: 'plain', on: { click: function () { check.textContent = ''; } } }, t('bc.edit'))));
				check.appendChild(box);
			});
		});
		c.fill = function (d) {
			c.info = d;
			quiet.textContent = d.quiet_hours ? t('bc.quiet', { q: d.quiet_hours }) : '';
			names();
			count();
		};
		parts(null);
		return f;
	}
	refresh();
	(function tick() { setTimeout(function () { if (list.isConnected) { refresh(); tick(); } }, 2000); })();
}

/* --- events --------------------------------------------------------- */
/* The form for an event (x) or a new one (null); done(code) after saving. */
function eventForm(x, done) {
	var isNew = !x;
	x = x || { code: '', title: '', quota: 30, deadline: '', date: '', place: '' };
	var code = h('input', { id: 'ef-code', value: x.code, maxlength: 16, placeholder: 'TANI24' });
	if (!isNew) code.readOnly = true;
	var title = h('input', { id: 'ef-title', value: x.title, maxlength: 80 });
	var quota = h('input', { id: 'ef-quota', type: 'number', min: 0, max: 100000, value: x.quota });
	var dl = h('input', { id: 'ef-deadline', type: 'date', value: x.deadline });
	var date = h('input', { id: 'ef-date', value: x.date, maxlength: 16, placeholder: '2026-12-09 08:00' });
	var place = h('input', { id: 'ef-place', value: x.place, maxlength: 60 });
	var err = h('p', { class: 'error', id: 'ef-error' });
	var f = h('form', { class: 'card sub', id: 'ef' }, h('h2', {}, isNew ? t('ev.new') : t('ev.edit')),
	    field(t('ev.code'), code), field(t('ev.title'), title), field(t('ev.quota'), quota), field(t('ev.deadline'), dl),
	    field(t('ev.date'), date), field(t('ev.place'), place), h('div', { class: 'row' }, h('button', { id: 'ef-save', type: 'submit' }, t('ev.save'))), err);
	f.addEventListener('submit', function (ev) {
		ev.preventDefault();
		api('event/save', { 'new': isNew, code: code.value.trim(), title: title.value, quota: parseInt(quota.value, 10),
		    deadline: dl.value, date: date.value.trim(), place: place.value }).then(function (r) {
			if (r.status !== 200 && r.status !== 201) { err.textContent = t('err', { x: r.error || r.status }); return; }
			done(r.code);
		});
	});
	return f;
}
function events() {
	var c = page(t('nav.events'));
	c.id = 'events';
	var list = h('div', { id: 'ev-list' });
	if (can('admin')) c.appendChild(eventForm(null, function (code) { location.hash = '#/events/' + encodeURIComponent(code.toUpperCase()); }));
	c.appendChild(list);
	api('event/list').then(function (d) {
		if (d.status !== 200) return;
		if (!d.events.length) list.appendChild(h('p', {}, t('ev.none')));
		d.events.forEach(function (e) {
			list.appendChild(h('a', { class: 'conv ev', href: '#/events/' + encodeURIComponent(e.code), 'data-code': e.code },
			    h('time', {}, e.date), h('b', {}, e.code + ' · ' + e.title), ' ', h('span', { class: 'badge' + (e.status === 'open' ? ' zero' : '') }, t(e.status === 'open' ? 'ev.open' : 'ev.closed')),
			    h('div', { class: 'last' }, t('ev.counts', { c: e.confirmed, q: e.quota, w: e.waitlisted }) + (e.place ? ' · ' + e.place : ''))));
		});
	});
}
function eventPage(code) {
	var c = page(code);
	c.id = 'event';
	c.insertBefore(h('a', { href: '#/events' }, t('back')), c.firstChild);
	var head = h('div', { id: 'ev-head' }), regs = h('div', { class: 'scroll' }), tools = h('div', { class: 'row' }), edit = h('div');
	var msg = h('div', { id: 'ev-msg' });
	c.appendChild(head);
	c.appendChild(tools);
	c.appendChild(msg);
	c.appendChild(edit);
	/* Remind the confirmed by SMS; a second reminder soon after is asked about. */
	function remind(d, force) {
		api('event/remind', { code: d.code, force: force }).then(function (r) {
			msg.textContent = '';
			if (r.status === 200) {
				msg.appendChild(h('p', { class: 'ok', id: 'ev-reminded' }, t('ev.reminded', { n: r.sent }) +
				    (r.opted_out ? t('ev.optedout', { m: r.opted_out }) : '')));
				refresh();
				return;
			}
			msg.appendChild(h('p', { class: 'error', id: 'ev-remind-error' }, t('err', { x: r.error || r.status })));
			if (r.force) msg.appendChild(h('button', { id: 'ev-remind-force', type: 'button', class: 'plain', on: { click: function () {
				if (confirm(t('ev.againq'))) remind(d, true);
			} } }, t('ev.again')));
		});
	}
	c.appendChild(h('h2', {}, t('ev.regs')));
	c.appendChild(regs);
	refresh = function () {
		api('event?code=' + encodeURIComponent(code)).then(function (d) {
			if (d.status !== 200 || !regs.isConnected) return;
			var n = { confirmed: 0, waitlisted: 0 };
			d.registrations.forEach(function (r) { n[r.status] = (n[r.status] || 0) + 1; });
			head.textContent = '';
			head.appendChild(h('p', {}, h('b', {}, d.title), ' · ' + [d.date, d.place].filter(Boolean).join(' · ')));
			head.appendChild(h('p', { id: 'ev-counts' }, t('ev.counts', { c: n.confirmed, q: d.quota, w: n.waitlisted }) + ' · ' + t(d.open ? 'ev.open' : 'ev.closed')));
			if (d.reminded_at) head.appendChild(h('p', { id: 'ev-last', class: 'counter' }, t('ev.lastremind', { w: when(d.reminded_at), n: d.reminded })));
			tools.textContent = '';
			tools.appendChild(h('a', { id: 'ev-csv', href: '/console/api/event.csv?code=' + encodeURIComponent(d.code), download: 'kentongan-' + d.code + '.csv' }, t('ev.csv')));
			if (can('admin')) {
				tools.appendChild(h('button', { id: 'ev-edit', type: 'button', class: 'plain', on: { click: function () {
					edit.textContent = '';
					edit.appendChild(eventForm(d, function () { edit.textContent = ''; refresh(); }));
				} } }, t('ev.edit')));
				if (n.confirmed) tools.appendChild(h('button', { id: 'ev-remind', type: 'button', class: 'plain', on: { click: function () {
					if (confirm(t('ev.remindq', { n: n.confirmed }))) remind(d, false);
				} } }, t('ev.remind')));
				if (d.open) tools.appendChild(h('button', { id: 'ev-close', type: 'button', class: 'danger', on: { click: function () {
					if (confirm(t('ev.closeq', { c: d.code }))) api('event/close', { code: d.code }).then(refresh);
				} } }, t('ev.close')));
			}
			regs.textContent = '';
			if (!d.registrations.length) { regs.appendChild(h('p', {}, t('ev.noregs'))); return; }
			var tb = h('table', { id: 'ev-regs' }, h('tr', {}, h('th', {}, t('state')), h('th', {}, t('c.phone')), h('th', {}, t('c.name')), h('th', {}, t('at')), h('th', {}, '')));
			d.registrations.forEach(function (r) {
				var b = null;
				if (can('admin') && r.status !== 'cancelled')
					b = h('button', { type: 'button', class: 'plain ev-cancel', on: { click: function () {
						if (confirm(t('ev.cancelq', { p: r.name || r.phone }))) api('event/cancel', { code: d.code, phone: r.phone }).then(refresh);
					} } }, t('ev.cancel'));
				tb.appendChild(h('tr', { 'data-phone': r.phone, 'data-status': r.status, class: r.status },
				    h('td', {}, t('ev.' + r.status, { n: r.position })), h('td', {}, r.phone), h('td', {}, r.name), h('td', {}, r.at), h('td', {}, b)));
			});
			regs.appendChild(tb);
		});
	};
	refresh();
}

/* --- prices --------------------------------------------------------- */
function prices() {
	var c = page(t('nav.prices'));
	c.id = 'prices';
	var held = h('div', { id: 'pr-held' }), table = h('div', { class: 'scroll' }), msg = h('p', { class: 'ok', id: 'pr-msg' });
	var pick = h('select', { id: 'pr-pick' }), chartBox = h('div', { id: 'pr-chart-box' });
	c.appendChild(h('h2', {}, t('pr.held')));
	c.appendChild(held);
	c.appendChild(msg);
	c.appendChild(h('h2', {}, t('pr.latest')));
	c.appendChild(table);
	if (can('admin')) c.appendChild(priceForm());
	c.appendChild(h('h2', {}, t('pr.history')));
	c.appendChild(pick);
	c.appendChild(chartBox);
	var reporters = h('div', { class: 'scroll', id: 'rp' }), rmsg = h('p', { id: 'rp-msg' });
	c.appendChild(h('h2', {}, t('rp.title')));
	if (can('admin')) c.appendChild(reporterForm());
	c.appendChild(rmsg);
	c.appendChild(reporters);
	if (can('admin')) c.appendChild(upload({ path: 'prices/import', help: t('pr.csvhelp'), cli: 'kentongan price import',
	    cols: [['commodity', t('pr.commodity')], ['market', t('pr.market')], ['price', t('pr.price')], ['unit', t('pr.unit')], ['date', t('pr.date')]],
	    done: function (r) { return t('pr.csvdone', { a: r.added, u: r.updated }); }, after: function () { refresh(); },
	    download: ['/console/api/prices.csv', 'kentongan-prices.csv', t('pr.csvdownload')] }));
	else c.appendChild(h('p', {}, h('a', { id: 'csv-download', href: '/console/api/prices.csv', download: 'kentongan-prices.csv' }, t('pr.csvdownload'))));
	/* The field reporters, each with a button to take LAPOR away (admins). */
	function showReporters(list) {
		reporters.textContent = '';
		if (!list.length) { reporters.appendChild(h('p', {}, t('rp.none'))); return; }
		var tb = h('table', { id: 'rp-table' }, h('tr', {}, h('th', {}, t('c.phone')), h('th', {}, t('c.name')),
		    h('th', {}, t('c.village')), h('th', {}, t('rp.reports')), h('th', {}, t('rp.last')), h('th', {}, '')));
		list.forEach(function (x) {
			tb.appendChild(h('tr', { 'data-phone': x.phone }, h('td', {}, x.phone), h('td', {}, x.name), h('td', {}, x.village),
			    h('td', {}, x.reports), h('td', {}, x.last), h('td', {}, can('admin') ? h('button', { type: 'button', class: 'plain rp-remove', on: { click: function () {
				if (confirm(t('rp.removeq', { p: x.name || x.phone }))) setReporter(x.phone, false);
			    } } }, t('rp.remove')) : null)));
		});
		reporters.appendChild(tb);
	}
	function setReporter(phone, on) {
		return api('reporter', { phone: phone, on: on }).then(function (r) {
			rmsg.className = r.status === 200 ? 'ok' : 'error';
			rmsg.textContent = r.status === 200 ? t(on ? 'rp.added' : 'rp.removed', { p: r.phone }) : t('err', { x: r.error || r.status });
			if (r.status === 200) refresh();
			return r;
		});
	}
	function reporterForm() {
		var ph = h('input', { id: 'rp-phone', maxlength: 20, inputmode: 'tel', placeholder: '0812…' });
		var f = h('form', { class: 'row', id: 'rp-form' }, ph, h('button', { id: 'rp-add', type: 'submit' }, t('rp.add')));
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			setReporter(ph.value, true).then(function (r) { if (r.status === 200) ph.value = ''; });
		});
		return f;
	}
	pick.addEventListener('change', history);
	refresh = function () {
		api('prices').then(function (d) {
			if (d.status !== 200 || !table.isConnected) return;
			showReporters(d.reporters);
			held.textContent = '';
			if (!d.held.length) held.appendChild(h('p', {}, t('pr.noheld')));
			d.held.forEach(function (x) {
				var row = h('div', { class: 'held warn', 'data-id': x.id }, t('pr.heldrow', { c: x.commodity, m: x.market,
				    p: rupiah(x.price), u: x.unit, d: x.date, r: x.name ? x.name + ' ' + x.phone : x.phone }) +
				    (x.published ? t('pr.was', { p: rupiah(x.published) }) : ''));
				var btns = h('div', { class: 'row' });
				if (can('admin')) row.appendChild(btns);
				if (can('admin')) [[true, 'pr.approve', 'pr-approve', ''], [false, 'pr.reject', 'pr-reject', 'plain']].forEach(function (b) {
					btns.appendChild(h('button', { type: 'button', class: b[2] + ' ' + b[3], on: { click: function () {
						api('price/review', { id: x.id, approve: b[0] }).then(function (r) {
							msg.textContent = r.status === 200 ? t(b[0] ? 'pr.approved' : 'pr.rejected', { n: r.alerts }) : t('err', { x: r.error || r.status });
							refresh();
						});
					} } }, t(b[1])));
				});
				held.appendChild(row);
			});
			table.textContent = '';
			if (!d.prices.length) { table.appendChild(h('p', {}, t('pr.none'))); return; }
			var tb = h('table', { id: 'pr-table' }, h('tr', {}, h('th', {}, t('pr.commodity')), h('th', {}, t('pr.market')),
			    h('th', {}, t('pr.price')), h('th', {}, t('pr.date')), h('th', {}, t('pr.change'))));
			var names = [];
			d.prices.forEach(function (x) {
				var ch = x.previous ? Math.round((x.price - x.previous) * 100 / x.previous) : null;
				if (names.indexOf(x.commodity) < 0) names.push(x.commodity);
				tb.appendChild(h('tr', { 'data-key': x.commodity + '/' + x.market }, h('td', {}, x.commodity), h('td', {}, x.market),
				    h('td', {}, 'Rp' + rupiah(x.price) + '/' + x.unit), h('td', {}, x.date),
				    h('td', { class: ch > 0 ? 'up' : ch < 0 ? 'down' : '' }, ch === null ? '–' : (ch > 0 ? '▲ +' : ch < 0 ? '▼ ' : '') + ch + '%')));
			});
			table.appendChild(tb);
			var keep = pick.value;
			pick.textContent = '';
			names.forEach(function (n) { pick.appendChild(h('option', { value: n }, n)); });
			pick.value = keep && names.indexOf(keep) >= 0 ? keep : names[0];
			history();
		});
	};
	/* A commodity's published prices, a line per market, as inline SVG. */
	function history() {
		if (!pick.value) return;
		api('price/history?commodity=' + encodeURIComponent(pick.value)).then(function (d) {
			if (d.status !== 200) return;
			var ns = 'http://www.w3.org/2000/svg', W = 320, H = 140, dates = [], by = {}, max = 1, min = Infinity;
			d.history.forEach(function (x) {
				if (dates.indexOf(x.date) < 0) dates.push(x.date);
				(by[x.market] = by[x.market] || []).push(x);
				max = Math.max(max, x.price); min = Math.min(min, x.price);
			});
			if (min === Infinity || min === max) min = 0;
			var svg = document.createElementNS(ns, 'svg');
			svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 30));
			svg.setAttribute('id', 'pr-chart');
			svg.setAttribute('role', 'img');
			svg.setAttribute('aria-label', t('pr.history') + ' ' + d.commodity);
			var colors = ['#0b6b44', '#d98a00', '#2a6ab3', '#b3261e', '#6b3fa0'];
			function xy(x) {
				var i = dates.indexOf(x.date);
				return [dates.length > 1 ? 10 + i * (W - 20) / (dates.length - 1) : W / 2, 10 + (H - 20) * (1 - (x.price - min) / (max - min))];
			}
			Object.keys(by).forEach(function (m, k) {
				var line = document.createElementNS(ns, 'polyline');
				line.setAttribute('points', by[m].map(function (x) { return xy(x).join(','); }).join(' '));
				line.setAttribute('fill', 'none');
				line.setAttribute('stroke', colors[k % colors.length]);
				line.setAttribute('stroke-width', '2');
				line.setAttribute('class', 'market');
				svg.appendChild(line);
				by[m].forEach(function (x) {
					var dot = document.createElementNS(ns, 'circle'), p = xy(x);
					dot.setAttribute('cx', p[0]); dot.setAttribute('cy', p[1]); dot.setAttribute('r', 3);
					dot.setAttribute('fill', colors[k % colors.length]);
					dot.appendChild(document.createElementNS(ns, 'title')).textContent = m + ' ' + x.date + ': Rp' + rupiah(x.price);
					svg.appendChild(dot);
				});
				var lab = document.createElementNS(ns, 'text');
				lab.setAttribute('x', 10 + k * 80); lab.setAttribute('y', H + 24);
				lab.setAttribute('fill', colors[k % colors.length]);
				lab.textContent = '■ ' + m;
				svg.appendChild(lab);
			});
			[max, min].forEach(function (v, i) {
				var tx = document.createElementNS(ns, 'text');
				tx.setAttribute('x', 2); tx.setAttribute('y', i ? H - 4 : 9);
				tx.textContent = 'Rp' + rupiah(v);
				svg.appendChild(tx);
			});
			chartBox.textContent = '';
			chartBox.appendChild(svg);
		});
	}
	function priceForm() {
		var com = h('input', { id: 'pf-commodity', maxlength: 60, placeholder: 'CABAI' });
		var mkt = h('input', { id: 'pf-market', maxlength: 60, placeholder: 'KEDIRI' });
		var pr = h('input', { id: 'pf-price', maxlength: 20, inputmode: 'numeric', placeholder: '45.000' });
		var unit = h('input', { id: 'pf-unit', maxlength: 15, placeholder: 'kg' });
		var err = h('p', { class: 'error', id: 'pf-error' });
		var f = h('form', { class: 'card sub', id: 'pf' }, h('h2', {}, t('pr.set')), field(t('pr.commodity'), com), field(t('pr.market'), mkt),
		    field(t('pr.price'), pr), field(t('pr.unit'), unit), h('div', { class: 'row' }, h('button', { id: 'pf-save', type: 'submit' }, t('pr.save'))), err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			api('price/set', { commodity: com.value, market: mkt.value, price: pr.value, unit: unit.value }).then(function (r) {
				if (r.status !== 201) { err.textContent = t('err', { x: r.error || r.status }); return; }
				err.textContent = ''; pr.value = '';
				msg.textContent = t('pr.saved', { n: r.alerts });
				refresh();
			});
		});
		return f;
	}
	refresh();
}

/* --- info pages, reply texts, aliases -------------------------------- */
var SAMPLE = { nama: 'Siti Aminah', desa: 'Sukamaju', code: 'TANI24', price: '45.000', date: '22/11', market: 'Kediri' };
function fieldsOf(body) { return (body.match(/\{[a-z_]+\}/g) || []).filter(function (f, i, a) { return a.indexOf(f) === i; }); }
function sample(body) { return body.replace(/\{([a-z_]+)\}/g, function (m, k) { return SAMPLE[k] || 'xxxxxxxx'; }); }
function content() {
	var c = page(t('nav.content'));
	c.id = 'content';
	var info = h('div', { id: 'ct-info' }), texts = h('div', { id: 'ct-texts' }), aliases = h('div', { class: 'scroll' });
	var q = h('input', { id: 'tx-search', type: 'search', placeholder: t('ct.search'), maxlength: 60 });
	var data = null;
	c.appendChild(h('h2', {}, t('ct.info')));
	c.appendChild(info);
	if (can('admin')) c.appendChild(infoForm());
	c.appendChild(h('h2', {}, t('ct.texts')));
	c.appendChild(q);
	c.appendChild(texts);
	c.appendChild(h('h2', {}, t('ct.aliases')));
	if (can('admin')) c.appendChild(aliasForm());
	c.appendChild(aliases);
	var keywords = h('div', { class: 'scroll', id: 'kw-list' });
	c.appendChild(h('h2', {}, t('kw.title')));
	if (can('admin')) c.appendChild(keywordForm());
	c.appendChild(keywords);
	q.addEventListener('input', showTexts);
	refresh = function () {
		api('content').then(function (d) {
			if (d.status !== 200 || !info.isConnected) return;
			data = d;
			info.textContent = '';
			d.info.forEach(function (x) {
				info.appendChild(h('div', { class: 'conv info', 'data-topic': x.topic, 'data-lang': x.language, on: { click: function () {
					if (!can('admin')) return;
					$('if-topic').value = x.topic; $('if-lang').value = x.language; $('if-body').value = x.body; $('if-body').focus();
				} } }, h('b', {}, 'INFO ' + x.topic + ' (' + x.language + ')'), h('div', { class: 'last' }, x.body)));
			});
			showTexts();
			aliases.textContent = '';
			var tb = h('table', { id: 'al-table' }, h('tr', {}, h('th', {}, t('ct.phrase')), h('th', {}, t('ct.target')), h('th', {}, t('ct.kind')), h('th', {}, '')));
			d.aliases.forEach(function (a) {
				tb.appendChild(h('tr', { 'data-phrase': a.phrase }, h('td', {}, a.phrase), h('td', {}, a.target), h('td', {}, a.kind),
				    h('td', {}, can('admin') ? h('button', { type: 'button', class: 'plain al-remove', on: { click: function () {
					api('alias/remove', { phrase: a.phrase }).then(refresh);
				    } } }, t('ct.remove')) : null)));
			});
			aliases.appendChild(tb);
			showKeywords(d.keywords);
		});
	};
	function showKeywords(list) {
		keywords.textContent = '';
		if (!list.length) { keywords.appendChild(h('p', {}, t('kw.none'))); return; }
		var tb = h('table', { id: 'kw-table' }, h('tr', {}, h('th', {}, t('kw.word')), h('th', {}, t('kw.action')), h('th', {}, t('ct.body')), h('th', {}, '')));
		list.forEach(function (k) {
			var what = t('kw.' + k.action) + (k.action === 'join' ? ' ' + k.group : '');
			tb.appendChild(h('tr', { 'data-word': k.word }, h('td', {}, k.word), h('td', {}, what),
			    h('td', {}, k.reply_id + (k.reply_en ? ' / ' + k.reply_en : '')),
			    h('td', {}, can('admin') ? h('button', { type: 'button', class: 'plain kw-remove', on: { click: function () {
				api('keyword/remove', { word: k.word }).then(refresh);
			    } } }, t('ct.remove')) : null)));
		});
		keywords.appendChild(tb);
	}
	function keywordForm() {
		var word = h('input', { id: 'kw-word', maxlength: 31, placeholder: 'JADWAL' });
		var action = select('kw-action', t('kw.reply'), [['join', t('kw.join')], ['ask', t('kw.ask')]]);
		action.options[0].value = 'reply';
		var group = h('input', { id: 'kw-group', maxlength: 31, placeholder: 'PETANI' });
		var rid = h('textarea', { id: 'kw-reply-id', rows: 2, maxlength: 480 }), ren = h('textarea', { id: 'kw-reply-en', rows: 2, maxlength: 480 });
		var counter = h('div', { class: 'counter', id: 'kw-counter' }), err = h('p', { class: 'error', id: 'kw-error' });
		var groupField = field(t('kw.group'), group);
		function sync() {
			groupField.hidden = action.value !== 'join';
			var i = smsInfo(rid.value);
			counter.textContent = t('chars', { c: i.chars, p: i.parts, e: i.enc === 'gsm' ? t('gsm') : t('ucs2') });
		}
		action.addEventListener('change', sync);
		rid.addEventListener('input', sync);
		var f = h('form', { class: 'card sub' }, field(t('kw.word'), word), field(t('kw.action'), action), groupField,
		    field(t('kw.replyid'), rid), counter, field(t('kw.replyen'), ren),
		    h('div', { class: 'row' }, h('button', { id: 'kw-save', type: 'submit' }, t('kw.add'))), err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			api('keyword/add', { word: word.value.trim(), action: action.value, group: action.value === 'join' ? group.value.trim() : '',
			    reply_id: rid.value, reply_en: ren.value }).then(function (r) {
				err.textContent = r.status === 200 ? '' : t('err', { x: r.error || r.status });
				if (r.status === 200) { word.value = ''; group.value = ''; rid.value = ''; ren.value = ''; sync(); refresh(); }
			});
		});
		sync();
		return f;
	}
	function showTexts() {
		if (!data) return;
		var f = q.value.toLowerCase();
		texts.textContent = '';
		data.texts.filter(function (x) { return !f || (x.key + ' ' + x.body).toLowerCase().indexOf(f) >= 0; }).slice(0, 60).forEach(function (x) {
			var fs = fieldsOf(x.body), i = smsInfo(sample(x.body));
			var box = h('div', { class: 'conv text', 'data-key': x.key, 'data-lang': x.language },
			    h('b', {}, x.key + ' (' + x.language + ')'), ' ', h('small', {}, fs.length ? t('ct.fields', { f: fs.join(' ') }) : t('ct.nofields')),
			    h('div', { class: 'tx-body' }, x.body), h('small', { class: 'counter' }, t('ct.cost', { c: i.chars, p: i.parts }) + ' · ' + t('ct.preview') + sample(x.body)));
			if (can('admin')) box.appendChild(h('button', { type: 'button', class: 'plain tx-edit', on: { click: function () {
				var ta = h('textarea', { class: 'tx-text', rows: 3, maxlength: 1000 }), err = h('p', { class: 'error tx-error' });
				ta.value = x.body;
				box.appendChild(ta);
				box.appendChild(h('button', { type: 'button', class: 'tx-save', on: { click: function () {
					api('text/set', { key: x.key, language: x.language, body: ta.value }).then(function (r) {
						if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
						refresh();
					});
				} } }, t('ct.save')));
				box.appendChild(err);
			} } }, t('ct.edit')));
			texts.appendChild(box);
		});
	}
	function infoForm() {
		var topic = h('input', { id: 'if-topic', maxlength: 31, placeholder: 'PUPUK' });
		var lang = select('if-lang', 'Indonesia', [['en', 'English']]);
		lang.options[0].value = 'id';
		var body = h('textarea', { id: 'if-body', rows: 3, maxlength: 1000 }), counter = h('div', { class: 'counter' });
		var err = h('p', { class: 'error', id: 'if-error' });
		body.addEventListener('input', function () { var i = smsInfo(body.value); counter.textContent = t('chars', { c: i.chars, p: i.parts, e: i.enc === 'gsm' ? t('gsm') : t('ucs2') }); });
		var f = h('form', { class: 'card sub' }, field(t('ct.topic'), topic), field(t('ct.lang'), lang), field(t('ct.body'), body), counter,
		    h('div', { class: 'row' }, h('button', { id: 'if-save', type: 'submit' }, t('ct.save'))), err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			api('info/set', { topic: topic.value.trim(), language: lang.value, body: body.value }).then(function (r) {
				err.textContent = r.status === 200 ? '' : t('err', { x: r.error || r.status });
				if (r.status === 200) { err.textContent = ''; refresh(); }
			});
		});
		return f;
	}
	function aliasForm() {
		var ph = h('input', { id: 'al-phrase', maxlength: 47, placeholder: 'CABE' });
		var tg = h('input', { id: 'al-target', maxlength: 47, placeholder: 'CABAI' });
		var kind = select('al-kind', t('ct.guess'), [['keyword', 'keyword'], ['commodity', 'commodity'], ['market', 'market'], ['filler', 'filler'], ['thanks', 'thanks']]);
		var err = h('p', { class: 'error', id: 'al-error' });
		var f = h('form', { class: 'card sub' }, field(t('ct.phrase'), ph), field(t('ct.target'), tg), field(t('ct.kind'), kind),
		    h('div', { class: 'row' }, h('button', { id: 'al-save', type: 'submit' }, t('ct.add'))), err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			api('alias/add', { phrase: ph.value, target: tg.value, kind: kind.value }).then(function (r) {
				err.textContent = r.status === 200 ? '' : t('err', { x: r.error || r.status });
				if (r.status === 200) { ph.value = ''; tg.value = ''; refresh(); }
			});
		});
		return f;
	}
	refresh();
}

/* --- the USSD menu editor and simulator ------------------------------- */
function ussdPage() {
	var c = page(t('nav.ussd'));
	c.id = 'ussd';
	var tree = h('div', { id: 'us-tree' }), form = h('div', { id: 'us-form' }), nodes = [];
	if (can('admin')) c.appendChild(h('div', { class: 'row' }, h('button', { id: 'us-new', type: 'button', on: { click: function () { edit(null); } } }, t('us.new'))));
	c.appendChild(form);
	c.appendChild(tree);
	if (can('operator')) c.appendChild(simulatorBox());
	refresh = function () {
		api('ussd/menu').then(function (d) {
			if (d.status !== 200 || !tree.isConnected) return;
			nodes = d.nodes;
			tree.textContent = '';
			nodes.forEach(function (n) {
				var what = n.kind === 'action' ? '→ ' + t('a.' + n.action) + (n.args ? ' ' + n.args : '') : '';
				var row = h('div', { class: 'conv node', 'data-id': n.id, 'data-keys': n.keys || '-', style: 'padding-left:' + (0.6 + n.depth * 1.2) + 'em' },
				    h('b', {}, (n.keys ? n.keys + '. ' : '') + n.label), n.label_en ? ' / ' + n.label_en : '', ' ', h('small', {}, what));
				if (can('admin')) row.addEventListener('click', function () { edit(n); });
				tree.appendChild(row);
			});
		});
	};
	/* The form for a node (n) or a new one (null). */
	function edit(n) {
		var isNew = !n;
		n = n || { id: 0, parent: 0, position: 1, label: '', label_en: '', body: '', body_en: '', action: '', args: '' };
		var parent = select('un-parent', t('us.top'), nodes.filter(function (x) { return x.kind === 'static'; }).map(function (x) { return [String(x.id), x.keys + '. ' + x.label]; }));
		parent.options[0].value = '0';
		parent.value = String(n.parent);
		var pos = h('input', { id: 'un-position', type: 'number', min: 1, max: 99, value: n.position });
		var lab = h('input', { id: 'un-label', value: n.label, maxlength: 60 }), laben = h('input', { id: 'un-label-en', value: n.label_en, maxlength: 60 });
		var body = h('textarea', { id: 'un-body', rows: 2, maxlength: 400 }), bodyen = h('textarea', { id: 'un-body-en', rows: 2, maxlength: 400 });
		body.value = n.body; bodyen.value = n.body_en;
		var act = select('un-action', t('us.static'), ['price', 'info', 'event', 'sub', 'stop', 'lang'].map(function (a) { return [a, t('a.' + a)]; }));
		act.value = n.action;
		var args = h('input', { id: 'un-args', value: n.args, maxlength: 120 });
		var err = h('p', { class: 'error', id: 'un-error' });
		var f = h('form', { class: 'card sub' }, h('h2', {}, isNew ? t('us.new') : t('us.edit', { k: n.keys || '-' })),
		    isNew ? field(t('us.parent'), parent) : null, field(t('us.position'), pos), field(t('us.label'), lab), field(t('us.label_en'), laben),
		    field(t('us.body'), body), field(t('us.body_en'), bodyen), field(t('us.action'), act), field(t('us.args'), args));
		var row = h('div', { class: 'row' }, h('button', { id: 'un-save', type: 'submit' }, t('us.save')),
		    h('button', { type: 'button', class: 'plain', on: { click: function () { form.textContent = ''; } } }, t('c.close')));
		if (!isNew) row.appendChild(h('button', { id: 'un-delete', type: 'button', class: 'danger', on: { click: function () {
			if (confirm(t('us.deleteq', { l: n.label }))) api('ussd/delete', { id: n.id }).then(function (r) {
				if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
				form.textContent = ''; refresh();
			});
		} } }, t('us.delete')));
		f.appendChild(row);
		f.appendChild(err);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			var b = { position: parseInt(pos.value, 10), label: lab.value, label_en: laben.value, body: body.value, body_en: bodyen.value,
			    action: act.value, args: act.value ? args.value : '' };
			if (isNew) b.parent = parseInt(parent.value, 10); else b.id = n.id;
			if (isNew && !b.action) delete b.action;
			api(isNew ? 'ussd/add' : 'ussd/set', b).then(function (r) {
				if (r.status !== 200) { err.textContent = t('err', { x: r.error || r.status }); return; }
				form.textContent = ''; refresh();
			});
		});
		form.textContent = '';
		form.appendChild(f);
	}
	/* A phone's screen: dial, answer, as a caller would. */
	function simulatorBox() {
		var ph = h('input', { id: 'us-phone', value: '081234567890', maxlength: 20, inputmode: 'tel' });
		var screen = h('pre', { id: 'us-screen', class: 'screen' });
		var inp = h('input', { id: 'us-input', maxlength: 20, inputmode: 'numeric' });
		var send = h('button', { id: 'us-send', type: 'submit' }, t('us.send'));
		var session = null, steps = 0;
		function ask(input) {
			api('ussd/sim', { session: session, phone: ph.value, input: input, steps: steps }).then(function (r) {
				if (r.status !== 200) { screen.textContent = t('err', { x: r.error || r.status }); return; }
				screen.textContent = r.text + (r.end ? '\n' + t('us.ended') : '');
				send.disabled = !!r.end;
			});
		}
		var f = h('form', { class: 'row' }, inp, send);
		f.addEventListener('submit', function (ev) {
			ev.preventDefault();
			if (!session) return;
			steps++;
			ask(inp.value);
			inp.value = '';
		});
		return h('div', { class: 'card sub', id: 'us-sim' }, h('h2', {}, t('us.sim')), field(t('sim.phone'), ph),
		    h('div', { class: 'row' }, h('button', { id: 'us-dial', type: 'button', on: { click: function () {
			session = 'console-' + Date.now() + '-' + Math.floor(Math.random() * 1e6);
			steps = 0;
			ask('');
		    } } }, t('us.dial'))), screen, f);
	}
	refresh();
}

/* --- polls' results and questions to experts, read-only -------------- */
function polls() {
	var c = page(t('nav.polls'));
	c.id = 'polls';
	var pl = h('div', { id: 'pl-list' }), qs = h('div', { class: 'scroll', id: 'qs' }), ex = h('div', { id: 'ex' });
	c.appendChild(h('p', { class: 'counter' }, t('pl.help')));
	c.appendChild(h('h2', {}, t('pl.polls')));
	c.appendChild(pl);
	c.appendChild(h('h2', {}, t('qs.title')));
	c.appendChild(qs);
	c.appendChild(h('h2', {}, t('qs.experts')));
	c.appendChild(ex);
	refresh = function () {
		api('polls').then(function (d) {
			if (d.status !== 200 || !pl.isConnected) return;
			pl.textContent = '';
			if (!d.polls.length) pl.appendChild(h('p', {}, t('pl.none')));
			d.polls.forEach(function (p) { pl.appendChild(pollCard(p)); });
		});
		api('questions').then(function (d) {
			if (d.status !== 200 || !qs.isConnected) return;
			qs.textContent = '';
			ex.textContent = '';
			if (!d.questions.length) qs.appendChild(h('p', {}, t('qs.none')));
			else qs.appendChild(h('table', { id: 'qs-table' }, h('tr', {}, h('th', {}, '#'), h('th', {}, t('state')), h('th', {}, t('c.phone')),
			    h('th', {}, t('qs.topic')), h('th', {}, t('qs.text')), h('th', {}, t('qs.answer'))), d.questions.map(function (q) {
				return h('tr', { 'data-id': q.id, 'data-state': q.state, class: q.state === 'overdue' ? 'warn' : '' }, h('td', {}, q.id),
				    h('td', {}, t('qs.' + q.state)), h('td', {}, q.name ? q.name + ' · ' + q.phone : q.phone, h('small', {}, ' ' + q.at)),
				    h('td', {}, q.topic), h('td', {}, q.text), h('td', {}, q.answer, q.by ? h('small', {}, ' — ' + q.by) : null));
			})));
			if (!d.experts.length) ex.appendChild(h('p', {}, t('qs.noexperts')));
			d.experts.forEach(function (x) {
				ex.appendChild(h('div', { class: 'conv expert', 'data-phone': x.phone }, h('b', {}, x.name ? x.name + ' · ' + x.phone : x.phone),
				    h('div', { class: 'last' }, x.topics.split(' ').map(function (p) { return p === '*' ? t('qs.all') : p; }).join(', '))));
			});
		});
	};
	refresh.live = true;
	refresh();
}
/* One poll or survey: per question each option's count and share as a bar, and the other answers. */
function pollCard(p) {
	var box = h('div', { class: 'card sub poll', 'data-code': p.code }, h('h2', {}, p.code + (p.title ? ' · ' + p.title : '')),
	    h('p', { class: 'counter' }, t('pl.counts', { k: p.kind, s: p.state, a: p.asked, c: p.completed })));
	p.questions.forEach(function (q) {
		var qd = h('div', { class: 'pq', 'data-position': q.position }, h('b', {}, q.position + '. ' + q.text), ' ',
		    h('small', {}, t('pl.answered', { n: q.answered })));
		q.options.forEach(function (o) {
			var pct = q.answered ? Math.round(o.count * 100 / q.answered) : 0, fill = h('span', { class: 'delivered' });
			fill.style.width = pct + '%';
			qd.appendChild(h('div', { class: 'opt', 'data-key': o.key }, o.key + ' = ' + o.label + ': ' + o.count + ' (' + pct + '%)',
			    h('div', { class: 'bar' }, fill)));
		});
		if (q.other || !q.options.length) {
			qd.appendChild(h('div', { class: 'other' }, t('pl.other', { n: q.other })));
			qd.appendChild(h('ul', { class: 'other-texts' }, q.other_texts.slice(0, 20).map(function (x) { return h('li', {}, x); })));
		}
		box.appendChild(qd);
	});
	return box;
}

/* --- modems and settings, read-only ----------------------------------- */
function system() {
	var c = page(t('nav.system'));
	c.id = 'system';
	var modems = h('div', { id: 'sy-modems' }), settings = h('div', { class: 'scroll' });
	c.appendChild(h('h2', {}, t('sy.modems')));
	c.appendChild(modems);
	if (can('admin')) { c.appendChild(h('h2', {}, t('sy.settings'))); c.appendChild(settings); }
	api('modems').then(function (d) {
		if (d.status !== 200) return;
		d.modems.forEach(function (m) {
			var tb = h('table', {});
			[['state', m.state], ['signal', m.signal === null ? '–' : m.signal + '%'], ['balance', m.balance || '–'],
			 ['Model', [m.manufacturer, m.model].filter(Boolean).join(' ')], ['IMEI', m.imei], ['Operator', [m.operator, m.network].filter(Boolean).join(' ')],
			 ['SIM', m.sim_total ? m.sim_used + '/' + m.sim_total : '–'], ['received', m.received], ['sent', m.sent], ['errors', m.errors],
			 ['last error', m.last_error], ['updated', m.updated]].forEach(function (r) {
				tb.appendChild(h('tr', {}, h('th', {}, t(r[0])), h('td', {}, r[1] === null || r[1] === undefined ? '' : r[1])));
			});
			var rec = h('ul', { class: 'recent' });
			m.recent.forEach(function (e) { rec.appendChild(h('li', {}, e.at + ' ' + e.to + ': ' + e.error)); });
			modems.appendChild(h('div', { class: 'card sub modem', 'data-name': m.name }, h('h2', {}, m.name), tb,
			    h('b', {}, t('sy.recent')), m.recent.length ? rec : h('p', {}, t('sy.norecent'))));
		});
	});
	if (can('admin')) api('settings').then(function (d) {
		if (d.status !== 200) return;
		settings.appendChild(h('p', { class: 'counter' }, t('sy.file', { f: d.file })));
		var tb = h('table', { id: 'sy-settings' });
		d.settings.forEach(function (x) {
			tb.appendChild(h('tr', { 'data-key': (x.group ? x.group + '.' : '') + x.name }, h('td', {}, x.group), h('td', {}, x.name), h('td', {}, x.value)));
		});
		settings.appendChild(tb);
	});
}

translate();
api('me').then(function (j) { if (j.status === 200) start(j); else showLogin(); });
})();
