/* pages.c: the error pages and gates that every buyer handler shares. */
#include <stdio.h>
#include <string.h>

#include "store/anomaly.h"
#include "store/budget.h"
#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/session_gen.h"
#include "web/html.h"
#include "base/log.h"

void
mark_unrendered(struct req *r)
{
	static const char *const refund_pages[] = { "status", "desk-refund", "api-refund" };

	for (size_t i = 0; r->route != NULL && i < sizeof(refund_pages) / sizeof(refund_pages[0]); i++)
		if (strcmp(r->route, refund_pages[i]) == 0 && r->params[0] != NULL)
			refund_mark_anomaly(r->app->db, r->params[0], ANOMALY_RENDER_FAILED);
}

void
fail_page(struct req *r, enum rd_err e)
{
	switch (e) {
	case RD_ERR_DB:
	case RD_ERR_RETRY:
		/* Why, for whoever reads the log: a lost node, retries run out. */
		log_warn("503: route=%s: %s", r->route ? r->route : "-", db_last_error(r->app->db));
		resp_header(r, "Retry-After", "5");
		html_error_page(r, 503, "服务暂时不可用", "系统正在维护或繁忙，请稍后再试。您的数据没有丢失。");
		break;
	case RD_ERR_NOTFOUND:
		not_found_page(r);
		break;
	case RD_ERR_AUTH:
		html_error_page(r, 403, "无法验证身份", "请从商城的订单页重新进入，或使用订单查询。");
		break;
	case RD_ERR_TOOBIG:
		html_error_page(r, 413, "上传内容过大", "每个凭证文件不能超过 5 MB，请压缩后重试。");
		break;
	case RD_ERR_TYPE:
		html_error_page(r, 415, "不支持的文件类型", "凭证只接受 PNG、JPEG、WebP 图片或 PDF 文件。");
		break;
	case RD_ERR_CONFLICT:
		html_error_page(r, 409, "操作冲突", "该申请的状态已经变化，请刷新页面后重试。");
		break;
	case RD_ERR_NOSPACE:
		html_error_page(r, 507, "暂时无法保存凭证", "服务器存储空间不足，您的申请没有提交，请稍后再试。");
		break;
	case RD_ERR_NOMEM:
		/* The request's arena is bounded: a page that does not fit is a
		 * clear, logged 503, never a silent 500. */
		log_warn("request memory exhausted: route=%s", r->route ? r->route : "-");
		mark_unrendered(r);
		resp_header(r, "Retry-After", "5");
		html_error_page(r, 503, "页面暂时无法显示", "这个页面的内容超出了单次请求的处理能力，已记录，请稍后再试。");
		break;
	case RD_ERR_INPUT:
		html_error_page(r, 400, "请求无效", "提交的内容格式不正确，请返回重新填写。");
		break;
	default:
		log_warn("request failed: %s", rd_err_names[e]);
		html_error_page(r, 500, "出错了", "服务器内部错误，请稍后再试。");
		break;
	}
}

void
not_found_page(struct req *r)
{
	html_error_page(r, 404, "没有找到", "没有找到这个订单或退款申请，请确认链接是否正确。");
}

bool
require_session(struct req *r)
{
	if (session_resolve(r))
		return true;
	if (r->session_unknown) {
		fail_page(r, RD_ERR_DB);     /* not "logged out": the database is away */
		return false;
	}
	html_error_page(r, 403, "请先验证订单", "会话已过期或未登录：请从商城的订单页重新进入，或使用订单号查询。");
	return false;
}

bool
require_session_of(struct req *r, const char *buyer, long long gen)
{
	if (buyer != NULL)
		session_resolve_gen(r, buyer, gen);
	return require_session(r);
}

bool
csrf_ok(struct req *r, const char *given)
{
	if (session_resolve(r) && given != NULL &&
	    csrf_valid(r->app->cfg->session_secret, r->sess.sid, given))
		return true;
	html_error_page(r, 403, "页面已过期", "表单校验失败（可能已过期），请刷新页面后重新提交。");
	return false;
}

bool
buyer_post_budget(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	char ip_key[80], sid_key[80] = "", buyer[BUYER_ID_MAX + 1] = "", sid[33];
	struct post_budget_out got;
	bool ok;

	snprintf(ip_key, sizeof(ip_key), "post-ip:%.60s", r->remote_addr);
	/* The address's budget, the session's and the cookie's generation in
	 * one round trip: the session's is spent on the SID the cookie claims,
	 * and counts only once the cookie proves genuine (a forged one is
	 * refused below whatever it spent). */
	if (r->session_cookie != NULL && session_peek_sid(r->session_cookie, buyer, sid))
		snprintf(sid_key, sizeof(sid_key), "post-sid:%s", sid);
	struct post_budget pb = {
		.ip_key = ip_key, .sid_key = sid_key, .buyer = buyer, .now = r->now, .window = 60,
		.ip_limit = cfg->buyer_posts_per_minute_ip, .sid_limit = cfg->buyer_posts_per_minute,
	};
	enum rd_err e = budget_take_post(r->app->db, r->a, &pb, &got);
	if (e != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (buyer[0] != '\0')
		session_resolve_gen(r, buyer, got.gen);
	ok = got.ip_ok && (!session_resolve(r) || got.sid_ok);
	if (!ok) {
		resp_header(r, "Retry-After", "60");
		html_error_page(r, 429, "操作太频繁", "提交太频繁，请一分钟后再试。");
		return false;
	}
	return true;
}

bool
body_ok(struct req *r)
{
	enum rd_err e = r->form != NULL ? r->form->err : RD_ERR_INTERNAL;

	if (e == RD_OK)
		return true;
	fail_page(r, e);
	return false;
}

int
evidence_refusal(struct req *r, const char **msg)
{
	const struct form_body *b = r->form;
	const struct config *cfg = r->app->cfg;

	if (b == NULL || b->file_refused == RD_OK)
		return 0;
	const char *name = b->refused_name[0] != '\0' ? b->refused_name : _("所选文件");
	if (b->file_refused == RD_ERR_TOOBIG) {
		*msg = arena_printf(r->a, _("「%s」超过了每个文件 %lld MB 的上限，请压缩或截取后重新选择（最多 %d 个文件）。"),
		    name, cfg->evidence_max_bytes >> 20, cfg->evidence_max_files);
		return 413;
	}
	*msg = arena_printf(r->a, _("「%s」的格式不能接受：凭证只接受 PNG、JPEG、WebP 图片或 PDF 文件，每个不超过 %lld MB。"),
	    name, cfg->evidence_max_bytes >> 20);
	return 415;
}

bool
buyer_form_read(struct req *r)
{
	if (!body_ok(r))
		return false;
	if (!session_resolve(r) && r->session_unknown) {
		fail_page(r, RD_ERR_DB);
		return false;
	}
	return csrf_ok(r, r->f.v[F_CSRF]);
}

bool
buyer_post_admit(struct req *r)
{
	return buyer_post_budget(r) && require_session(r);
}
