/* rd-upload.js: the evidence picker, enhanced. Served as /static/rd-upload.js
 * (compiled into the binary, CSP script-src 'self'); the pages work the same
 * without it. For each <input type=file data-max-bytes data-max-files>:
 * a picker button in the page's language (Chinese or English), the chosen files listed with thumbnails, size,
 * count and type checked before sending (the limits are the server's, from
 * the data- attributes), images over the size limit shrunk here (canvas to
 * JPEG, and the page says so), and the form sent with a progress bar; a
 * redirect is followed, any other answer (the form with its messages) is
 * shown in place with the chosen files kept. */
'use strict';

(function () {
	if (window.rdUploadLoaded)
		return;
	window.rdUploadLoaded = true;

	var TYPES = { 'image/png': 1, 'image/jpeg': 1, 'image/webp': 1, 'application/pdf': 1 };
	var BY_EXT = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp',
		pdf: 'application/pdf' };
	var SHRINK_EDGE = 4096;        /* the longest side a shrunk image keeps at most */

	/* The type the server will find, as far as the browser can tell. */
	function typeOf(file) {
		if (TYPES[file.type])
			return file.type;
		var m = /\.([A-Za-z0-9]+)$/.exec(file.name);
		return m ? BY_EXT[m[1].toLowerCase()] || '' : '';
	}

	/* The page's language (<html lang>, set by the server): each visible
	 * text is given in Chinese and in English, and the page's one is used. */
	function T(zh, en) {
		return document.documentElement.lang === 'en' ? en : zh;
	}

	function mb(n) {
		if (n < 1048576)
			return Math.max(1, Math.round(n / 1024)) + ' KB';
		var v = n / 1048576;
		return (Number.isInteger(v) ? v : v.toFixed(1)) + ' MB';
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function jpegName(name) {
		return name.replace(/\.[A-Za-z0-9]+$/, '') + '.jpg';
	}

	function toBlob(canvas, quality) {
		return new Promise(function (resolve) {
			canvas.toBlob(resolve, 'image/jpeg', quality);
		});
	}

	/* An image over max bytes, drawn again as a JPEG: lower quality first,
	 * then smaller, until it fits. null when it cannot be read or never fits. */
	async function shrink(file, max) {
		var bmp = await createImageBitmap(file);
		try {
			var scale = Math.min(1, SHRINK_EDGE / Math.max(bmp.width, bmp.height));
			var quality = 0.85;
			for (var i = 0; i < 10; i++) {
				var c = el('canvas');
				c.width = Math.max(1, Math.round(bmp.width * scale));
				c.height = Math.max(1, Math.round(bmp.height * scale));
				var g = c.getContext('2d');
				g.fillStyle = '#fff';          /* JPEG has no transparency */
				g.fillRect(0, 0, c.width, c.height);
				g.drawImage(bmp, 0, 0, c.width, c.height);
				var blob = await toBlob(c, quality);
				if (blob && blob.size <= max)
					return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: Date.now() });
				if (quality > 0.65)
					quality -= 0.1;
				else
					scale *= 0.75;
			}
			return null;
		} finally {
			bmp.close();
		}
	}

	/* A small picture of an image, on a canvas (no URL: nothing for the CSP). */
	async function thumbnail(file) {
		var bmp = await createImageBitmap(file);
		var side = 72, c = el('canvas', 'up-thumb');
		var s = Math.min(bmp.width, bmp.height);
		c.width = side * 2;
		c.height = side * 2;
		c.getContext('2d').drawImage(bmp, (bmp.width - s) / 2, (bmp.height - s) / 2, s, s, 0, 0, c.width, c.height);
		bmp.close();
		c.setAttribute('role', 'img');
		c.setAttribute('aria-label', T('缩略图：' + file.name, 'Thumbnail: ' + file.name));
		return c;
	}

	function sameFile(a, b) {
		return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
	}

	/* One enhanced picker. carry: files chosen before the page was redrawn. */
	function Picker(input, carry) {
		var self = this;
		this.input = input;
		this.form = input.form;
		this.max = parseInt(input.getAttribute('data-max-bytes'), 10);
		this.maxFiles = parseInt(input.getAttribute('data-max-files'), 10);
		this.items = [];               /* { file, note } in the order chosen */
		this.pending = 0;              /* images still being shrunk */

		input.classList.add('up-native');
		input.tabIndex = -1;           /* the button below is the way in, by keyboard too */
		this.box = el('div', 'up');
		this.pick = el('button', 'sec up-pick', T('选择图片或 PDF 文件', 'Choose images or PDF files'));
		this.pick.type = 'button';
		this.list = el('ul', 'up-list');
		this.msg = el('p', 'up-msg');
		this.msg.setAttribute('role', 'status');
		this.msg.setAttribute('aria-live', 'polite');
		this.bar = el('div', 'up-progress');
		this.bar.hidden = true;
		this.progress = el('progress', 'up-bar');
		this.progress.max = 100;
		this.progress.value = 0;
		this.progress.id = input.id + '-progress';
		this.barText = el('label', 'up-bar-text', T('上传中 0%', 'Uploading 0%'));
		this.barText.htmlFor = this.progress.id;
		this.bar.append(this.barText, this.progress);
		this.box.append(this.pick, this.list, this.msg);
		input.after(this.box);
		var submit = this.form.querySelector('button[type=submit]');
		(submit || this.box).before(this.bar);

		this.pick.addEventListener('click', function () { input.click(); });
		input.addEventListener('change', function () { self.add(Array.from(input.files)); });
		this.form.addEventListener('submit', function (e) { self.submit(e); });
		if (carry && carry.length) {
			var again = this.form.querySelector('.reselect');
			if (again)
				again.hidden = true;
			this.add(carry, T('已保留您之前选择的文件。', 'The files you chose before are kept.'));
		}
	}

	Picker.prototype.say = function (text, bad) {
		this.msg.textContent = text;
		this.msg.classList.toggle('err', !!bad);
	};

	/* Writes the list back into the input: a plain submit sends the same. */
	Picker.prototype.sync = function () {
		var dt = new DataTransfer();
		this.items.forEach(function (it) { dt.items.add(it.file); });
		this.input.files = dt.files;
		this.draw();
	};

	Picker.prototype.draw = function () {
		var self = this;
		this.list.replaceChildren();
		this.items.forEach(function (it, i) {
			var li = el('li');
			var pic = it.thumb || el('span', 'up-thumb up-doc', it.file.type === 'application/pdf' ? 'PDF' : T('图片', 'Image'));
			var text = el('span', 'up-name');
			text.append(el('strong', '', it.file.name), el('span', 'up-size', ' ' + mb(it.file.size)));
			if (it.note)
				text.append(el('span', 'up-note', it.note));
			var rm = el('button', 'sec up-rm', T('移除', 'Remove'));
			rm.type = 'button';
			rm.setAttribute('aria-label', T('移除 ' + it.file.name, 'Remove ' + it.file.name));
			rm.addEventListener('click', function () {
				self.items.splice(i, 1);
				self.sync();
				self.say(T('已移除「' + it.file.name + '」。', 'Removed "' + it.file.name + '".'));
			});
			li.append(pic, text, rm);
			self.list.append(li);
		});
	};

	/* Checks each new file; keeps the good ones beside those chosen before. */
	Picker.prototype.add = function (files, okText) {
		var self = this, problems = [], notes = [];
		files.forEach(function (f) {
			if (self.items.some(function (it) { return sameFile(it.file, f); }))
				return;
			var type = typeOf(f);
			if (!type) {
				problems.push(T('「' + f.name + '」不是可接受的格式：只接受 PNG、JPEG、WebP 图片或 PDF。',
				    '"' + f.name + '" cannot be used: only PNG, JPEG or WebP images or PDF files.'));
				return;
			}
			if (self.items.length + self.pending >= self.maxFiles) {
				problems.push(T('最多只能上传 ' + self.maxFiles + ' 个文件，「' + f.name + '」没有加入。',
				    'At most ' + self.maxFiles + ' files; "' + f.name + '" was not added.'));
				return;
			}
			if (f.size > self.max && type === 'application/pdf') {
				problems.push(T('「' + f.name + '」有 ' + mb(f.size) + '，超过了每个文件 ' + mb(self.max) +
				    ' 的上限，请压缩后重新选择。', '"' + f.name + '" is ' + mb(f.size) + ', over the ' + mb(self.max) +
				    ' limit per file. Make it smaller and choose it again.'));
				return;
			}
			if (f.size > self.max) {
				self.shrinkIn(f);
				notes.push(T('「' + f.name + '」超过 ' + mb(self.max) + '，正在本机压缩……',
				    '"' + f.name + '" is over ' + mb(self.max) + '; shrinking it on this device…'));
				return;
			}
			var it = { file: f, note: '' };
			self.items.push(it);
			self.thumbIn(it);
		});
		this.sync();
		if (problems.length)
			this.say(problems.join(' ') + (this.items.length ? T(' 其余文件已保留。', ' The other files are kept.') : ''), true);
		else if (notes.length)
			this.say(notes.join(' '));
		else if (okText)
			this.say(okText);
		else if (files.length)
			this.say(T('已选择 ' + this.items.length + ' 个文件。', this.items.length + ' file(s) chosen.'));
	};

	Picker.prototype.thumbIn = function (it) {
		var self = this;
		if (!/^image\//.test(typeOf(it.file)) || !window.createImageBitmap)
			return;
		thumbnail(it.file).then(function (c) {
			it.thumb = c;
			self.draw();
		}, function () {
			it.note = T('（无法预览此图片）', ' (no preview for this image)');
			self.draw();
		});
	};

	Picker.prototype.shrinkIn = function (f) {
		var self = this;
		this.pending++;
		var done = function (text, bad) {
			self.pending--;
			self.sync();
			self.say(text, bad);
			if (self.pending === 0 && self.queued) {
				self.queued = false;
				self.form.requestSubmit();
			}
		};
		(window.createImageBitmap ? shrink(f, this.max) : Promise.resolve(null)).then(function (small) {
			if (!small) {
				done(T('「' + f.name + '」有 ' + mb(f.size) + '，超过了每个文件 ' + mb(self.max) +
				    ' 的上限，无法在本机压缩，请换一张较小的图片。', '"' + f.name + '" is ' + mb(f.size) +
				    ', over the ' + mb(self.max) + ' limit per file, and cannot be shrunk here. Choose a smaller image.'), true);
				return;
			}
			var note = T('已在本机压缩：' + mb(f.size) + ' → ' + mb(small.size) + '（JPEG）',
			    'Shrunk on this device: ' + mb(f.size) + ' → ' + mb(small.size) + ' (JPEG)');
			var it = { file: small, note: note };
			self.items.push(it);
			self.thumbIn(it);
			done(T('「' + f.name + '」超过 ' + mb(self.max) + '，已在本机压缩为 ' + mb(small.size) + ' 的 JPEG 图片。',
			    '"' + f.name + '" was over ' + mb(self.max) + ' and was shrunk here to a ' + mb(small.size) + ' JPEG.'));
		}, function () {
			done(T('「' + f.name + '」无法读取，请换一张图片。', '"' + f.name + '" cannot be read. Choose another image.'), true);
		});
	};

	/* Sends the form with a progress bar; a redirect is followed, any other
	 * answer drawn in place with the chosen files kept. */
	Picker.prototype.submit = function (e) {
		var self = this, form = this.form;
		if (!window.FormData || !window.XMLHttpRequest)
			return;
		e.preventDefault();
		if (this.sending)
			return;
		if (this.pending > 0) {
			this.queued = true;
			this.say(T('正在压缩图片，完成后自动提交……', 'Shrinking images; the form is sent when they are done…'));
			return;
		}
		this.sending = true;
		var buttons = form.querySelectorAll('button');
		buttons.forEach(function (b) { b.disabled = true; });
		this.bar.hidden = false;
		var xhr = new XMLHttpRequest();
		xhr.open('POST', form.action);
		xhr.upload.addEventListener('progress', function (ev) {
			if (!ev.lengthComputable)
				return;
			var pct = Math.floor(ev.loaded * 100 / ev.total);
			self.progress.value = pct;
			self.barText.textContent = pct < 100 ? T('上传中 ' + pct + '%', 'Uploading ' + pct + '%')
			    : T('上传完成，正在处理……', 'Uploaded; processing…');
		});
		xhr.addEventListener('load', function () {
			var sent = new URL(form.action, location.href);
			var got = new URL(xhr.responseURL || sent.href);
			if (got.pathname !== sent.pathname || got.search !== sent.search) {
				location.assign(got.href);
				return;
			}
			redraw(xhr.responseText, self.items.map(function (it) { return it.file; }), self.input.id);
		});
		var failed = function () {
			self.sending = false;
			buttons.forEach(function (b) { b.disabled = false; });
			self.bar.hidden = true;
			self.say(T('网络中断，提交没有完成。已选择的文件仍在，请重试。', 'The connection broke and the form was not sent. Your files are still here; try again.'), true);
		};
		xhr.addEventListener('error', failed);
		xhr.addEventListener('abort', failed);
		xhr.send(new FormData(form));
	};

	/* The server's answer (the form again with its messages, an error page)
	 * in place of this page, enhanced again, the files carried over. */
	function redraw(html, files, inputId) {
		var doc = new DOMParser().parseFromString(html, 'text/html');
		document.title = doc.title;
		document.body.replaceWith(document.adoptNode(doc.body));
		var carry = {};
		carry[inputId] = files;
		init(carry);
		var first = document.querySelector('.err, .banner');
		(first || document.body).scrollIntoView({ block: 'center' });
	}

	function init(carry) {
		if (!window.DataTransfer || !window.Promise)
			return;                    /* the plain input works as it is */
		document.querySelectorAll('input[type=file][data-max-bytes]').forEach(function (input) {
			if (input.form)
				new Picker(input, carry && carry[input.id]);
		});
	}

	init(null);
})();
