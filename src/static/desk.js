/* desk.js: GET /static/desk.js, the desk's one script, compiled in
 * (as the stylesheet) so that plain-CGI installs need no static files. It
 * only adds keyboard shortcuts to pages that work without it: the CSP's
 * script-src 'self' allows this file and no inline script.
 *
 * The request page: each decision radio carries data-key (its letter) and
 * data-focus (the field to type in next); pressing the letter outside a
 * text field chooses it; Ctrl/⌘+Enter anywhere sends the form to its
 * preview. The preview page: Y presses #confirm, Esc goes back (the link
 * #back). The <kbd> hints show only once html.js is set here. */
(function () {
	'use strict';
	document.documentElement.classList.add('js');
	var form = document.querySelector('#decision form');
	var confirmBtn = document.getElementById('confirm');
	var back = document.getElementById('back');
	function typing(t) {
		if (!t || !t.tagName) return false;
		if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
		return t.tagName === 'INPUT' && t.type !== 'radio' && t.type !== 'checkbox';
	}
	document.addEventListener('keydown', function (e) {
		if (e.defaultPrevented || e.isComposing) return;
		if (form && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
			e.preventDefault();
			if (form.requestSubmit) form.requestSubmit(); else form.submit();
			return;
		}
		if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
		if (confirmBtn && back && e.key === 'Escape') {
			e.preventDefault();
			back.click();
			return;
		}
		var k = (e.key || '').toLowerCase();
		if (!/^[a-z]$/.test(k)) return;
		if (confirmBtn && k === 'y') {
			e.preventDefault();
			confirmBtn.click();
			return;
		}
		if (!form) return;
		var radio = form.querySelector('input[name="action"][data-key="' + k + '"]');
		if (!radio) return;
		e.preventDefault();
		radio.checked = true;
		radio.dispatchEvent(new Event('change', { bubbles: true }));
		var next = document.getElementById(radio.getAttribute('data-focus') || '');
		(next || radio).focus();
	});
})();
