/* rd-time.js: GET /static/rd-time.js, compiled in like rd.css. The status
 * page's time left counts down live where JavaScript runs (CSP script-src
 * 'self': a file, never inline). Each [data-left] element holds the seconds
 * left when the page was made; the words are rules/next_step.c's
 * time_left_text(). Without JavaScript the server's text stays, right as of
 * the page load. */
(function () {
	'use strict';
	var t0 = Date.now(), els = document.querySelectorAll('[data-left]');
	/* The page's language (<html lang>): po/en.po's words for the same. */
	var en = document.documentElement.lang === 'en';
	function words(s) {
		var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
		if (s <= 0) return en ? 'overdue' : '已超时';
		if (s < 60) return en ? 'under a minute left' : '不到 1 分钟';
		if (s < 3600) return en ? Math.floor(s / 60) + ' min left' : '还剩 ' + Math.floor(s / 60) + ' 分钟';
		if (s < 86400) return en ? Math.floor(s / 3600) + ' h ' + m + ' min left' : '还剩 ' + Math.floor(s / 3600) + ' 小时 ' + m + ' 分钟';
		return en ? d + ' d ' + h + ' h left' : '还剩 ' + d + ' 天 ' + h + ' 小时';
	}
	function tick() {
		var gone = Math.floor((Date.now() - t0) / 1000);
		for (var i = 0; i < els.length; i++) {
			var e = els[i], left = parseInt(e.getAttribute('data-left'), 10);
			if (isNaN(left)) continue;
			var s = left - gone;
			e.textContent = words(s);
			if (s <= 0) e.classList.add('over');
		}
	}
	if (els.length) {
		tick();
		setInterval(tick, 15000);
	}
})();
