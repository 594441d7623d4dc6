<?php
// bootstrap.php: what every page of the demo shop needs: settings, the
// database, the buyer cookie, CSRF, escaping, the page frame and the desk.
// PHP 7.2 syntax, like the shops it imitates.
require_once dirname(__DIR__, 3) . '/php/RefundDesk.php';

function cfg($key = null)
{
    static $cfg = null;
    if ($cfg === null) {
        $cfg = require dirname(__DIR__) . '/config.php';
    }
    return $key === null ? $cfg : $cfg[$key];
}

/** PDO to the shop's own database (setup.php creates it). */
function db()
{
    static $pdo = null;
    if ($pdo === null) {
        $d = cfg('db');
        $dsn = $d['socket'] !== ''
            ? 'mysql:unix_socket=' . $d['socket']
            : 'mysql:host=' . $d['host'] . ';port=' . $d['port'];
        $pdo = new PDO($dsn . ';dbname=' . $d['name'] . ';charset=utf8mb4', $d['user'], $d['password'], array(
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
            PDO::ATTR_EMULATE_PREPARES => false,
        ));
    }
    return $pdo;
}

function q($sql, array $args = array())
{
    $st = db()->prepare($sql);
    $st->execute($args);
    return $st;
}

function desk()
{
    static $desk = null;
    if ($desk === null) {
        $desk = new RefundDesk\Client(cfg('desk_url'), cfg('desk_secret'),
            array('webhook_secret' => cfg('webhook_secret')));
    }
    return $desk;
}

function h($s)
{
    return htmlspecialchars((string)$s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/** fen -> "¥70.50" for display. */
function yuan($fen)
{
    return '¥' . intdiv((int)$fen, 100) . '.' . str_pad((string)((int)$fen % 100), 2, '0', STR_PAD_LEFT);
}

/**
 * The buyer: a random id in an HMAC-signed cookie (no login in the demo).
 * Stands in for dujiaoka's "order by e-mail" lookup.
 */
function buyer_id()
{
    static $id = null;
    if ($id !== null) {
        return $id;
    }
    $c = isset($_COOKIE['shop_buyer']) ? (string)$_COOKIE['shop_buyer'] : '';
    if (preg_match('/^([a-f0-9]{24})\.([a-f0-9]{64})$/', $c, $m) &&
        hash_equals(hash_hmac('sha256', 'buyer:' . $m[1], cfg('secret')), $m[2])) {
        return $id = 'web-' . $m[1];
    }
    $raw = bin2hex(random_bytes(12));
    setcookie('shop_buyer', $raw . '.' . hash_hmac('sha256', 'buyer:' . $raw, cfg('secret')),
        time() + 86400 * 90, '/', '', false, true);
    return $id = 'web-' . $raw;
}

function csrf_token()
{
    return hash_hmac('sha256', 'csrf:' . buyer_id(), cfg('secret'));
}

function csrf_field()
{
    return '<input type="hidden" name="csrf" value="' . h(csrf_token()) . '">';
}

/** Every POST handler starts here: POST only, a valid CSRF token. */
function require_post()
{
    if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
        fail(405, '请用表单提交');
    }
    $t = isset($_POST['csrf']) ? (string)$_POST['csrf'] : '';
    if (!hash_equals(csrf_token(), $t)) {
        fail(403, '页面已过期，请返回刷新后重试');
    }
}

function post($name)
{
    return isset($_POST[$name]) && is_string($_POST[$name]) ? trim($_POST[$name]) : '';
}

function get($name)
{
    return isset($_GET[$name]) && is_string($_GET[$name]) ? trim($_GET[$name]) : '';
}

function redirect($url)
{
    header('Location: ' . $url, true, 303);
    exit;
}

function page_start($title)
{
    header('Content-Type: text/html; charset=utf-8');
    header('X-Content-Type-Options: nosniff');
    // form-action covers redirects: the 申请退款 form ends at the desk.
    $u = parse_url(cfg('desk_url'));
    $desk = $u['scheme'] . '://' . $u['host'] . (isset($u['port']) ? ':' . $u['port'] : '');
    header("Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self' " . $desk .
        "; frame-ancestors 'none'; base-uri 'none'");
    echo '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<title>', h($title), ' - 演示卡密商城</title><link rel="stylesheet" href="/style.css"></head><body>',
        '<header><a href="/">演示卡密商城</a> <a href="/orders.php">我的订单</a></header><main>',
        '<h1>', h($title), '</h1>';
}

function page_end()
{
    echo '</main><footer>演示用：支付为模拟易支付，不会扣款。</footer></body></html>';
}

function fail($status, $msg)
{
    http_response_code($status);
    page_start('出错了');
    echo '<p class="error">', h($msg), '</p><p><a href="/">返回首页</a></p>';
    page_end();
    exit;
}
