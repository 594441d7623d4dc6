<?php
// lib.php: the tiny test helper of the PHP tests (no PHPUnit: CI has no
// network for composer). t('name', function () {...}) runs one test; a failed
// check throws; done() prints "php: N passed, N failed" and sets the exit code.
error_reporting(E_ALL);
set_error_handler(function ($no, $msg, $file, $line) {
    if (!(error_reporting() & $no)) {
        return false;       // silenced with @, on purpose
    }
    throw new ErrorException($msg, 0, $no, $file, $line);
});

$GLOBALS['t_pass'] = 0;
$GLOBALS['t_fail'] = 0;

function t($name, callable $fn)
{
    $t0 = microtime(true);
    try {
        $fn();
        $GLOBALS['t_pass']++;
        printf("ok   %s (%.2f s)\n", $name, microtime(true) - $t0);
    } catch (Throwable $e) {
        $GLOBALS['t_fail']++;
        printf("FAIL %s: %s: %s\n     at %s:%d\n", $name, get_class($e), $e->getMessage(),
            basename($e->getFile()), $e->getLine());
    }
}

function check($cond, $msg)
{
    if (!$cond) {
        throw new RuntimeException($msg);
    }
}

function eq($want, $got, $what = '')
{
    if ($want !== $got) {
        throw new RuntimeException(($what !== '' ? $what . ': ' : '') . 'expected ' .
            var_export($want, true) . ', got ' . var_export($got, true));
    }
}

/** Runs $fn, which must throw $class; returns the exception. */
function throws($class, callable $fn, $what = '')
{
    try {
        $fn();
    } catch (Throwable $e) {
        if ($e instanceof $class) {
            return $e;
        }
        throw new RuntimeException(($what !== '' ? $what . ': ' : '') . "expected $class, got " .
            get_class($e) . ': ' . $e->getMessage());
    }
    throw new RuntimeException(($what !== '' ? $what . ': ' : '') . "expected $class, nothing thrown");
}

function done($label = 'php')
{
    printf("%s: %d passed, %d failed\n", $label, $GLOBALS['t_pass'], $GLOBALS['t_fail']);
    exit($GLOBALS['t_fail'] === 0 && $GLOBALS['t_pass'] > 0 ? 0 : 1);
}

function need_env($name)
{
    $v = getenv($name);
    if ($v === false || $v === '') {
        fwrite(STDERR, "$name is not set: run tests/php/run.sh\n");
        exit(2);
    }
    return $v;
}

/**
 * A browser for the tests: a cookie jar, no redirects followed.
 * Returns ['status' => int, 'headers' => [lowercase name => [values]], 'body' => string].
 */
class Browser
{
    public $jar = array();

    public function request($method, $url, $fields = null, array $headers = array())
    {
        // PHP streams, not ext-curl: the same tests run under `php -n`.
        $h = $headers;
        if ($this->jar) {
            $pairs = array();
            foreach ($this->jar as $k => $v) {
                $pairs[] = "$k=$v";
            }
            $h[] = 'Cookie: ' . implode('; ', $pairs);
        }
        $http = array('method' => $method, 'follow_location' => 0, 'ignore_errors' => true, 'timeout' => 30);
        if ($fields !== null) {
            $http['content'] = is_array($fields) ? http_build_query($fields) : $fields;
            if (is_array($fields)) {
                $h[] = 'Content-Type: application/x-www-form-urlencoded';
            }
        }
        $http['header'] = implode("\r\n", $h);
        $body = file_get_contents($url, false, stream_context_create(array('http' => $http)));
        if ($body === false) {
            throw new RuntimeException("$method $url: no answer");
        }
        $status = 0;
        $got = array();
        foreach ($http_response_header as $line) {
            if (preg_match('#^HTTP/\S+ (\d{3})#', $line, $m)) {
                $status = (int)$m[1];
                $got = array();
                continue;
            }
            $p = strpos($line, ':');
            if ($p !== false) {
                $got[strtolower(trim(substr($line, 0, $p)))][] = trim(substr($line, $p + 1));
            }
        }
        foreach (isset($got['set-cookie']) ? $got['set-cookie'] : array() as $c) {
            $kv = explode('=', explode(';', $c, 2)[0], 2);
            if (count($kv) === 2) {
                $this->jar[trim($kv[0])] = trim($kv[1]);
            }
        }
        return array('status' => $status, 'headers' => $got, 'body' => (string)$body);
    }

    public function get($url)
    {
        return $this->request('GET', $url);
    }

    public function post($url, array $fields)
    {
        return $this->request('POST', $url, $fields);
    }
}

function location(array $r)
{
    return isset($r['headers']['location'][0]) ? $r['headers']['location'][0] : null;
}

/** The value of <input name="NAME" value="..."> in an HTML page. */
function input_value($html, $name)
{
    if (preg_match('/<input[^>]*name="' . preg_quote($name, '/') . '"[^>]*>/', $html, $m) &&
        preg_match('/value="([^"]*)"/', $m[0], $v)) {
        return html_entity_decode($v[1], ENT_QUOTES, 'UTF-8');
    }
    return null;
}

/** Every request receiver.php spooled, oldest first, optionally only under a path prefix. */
function spooled($prefix = '')
{
    $out = array();
    $files = glob(need_env('RD_SPOOL') . '/*.json');
    sort($files);
    foreach ($files as $f) {
        $r = json_decode(file_get_contents($f), true);
        if (is_array($r) && strpos($r['path'], $prefix) === 0) {
            $out[] = $r;
        }
    }
    return $out;
}

/** The desk's origin plus a path the desk wrote (absolute or root-relative). */
function desk_url($loc)
{
    return preg_match('#^https?://#', $loc) ? $loc : need_env('RD_URL') . $loc;
}

/** A real 8x8 PNG whose pixels depend on $seed (the desk checks what a file is). */
function test_png($seed)
{
    $rnd = hash('sha256', 'png' . $seed, true);
    $raw = '';
    for ($y = 0; $y < 8; $y++) {
        $raw .= "\0";
        for ($x = 0; $x < 24; $x++) {
            $raw .= $rnd[($x + $y) % 32];
        }
    }
    $chunk = function ($kind, $data) {
        return pack('N', strlen($data)) . $kind . $data . pack('N', crc32($kind . $data));
    };
    return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', 8, 8, 8, 2, 0, 0, 0)) .
        $chunk('IDAT', gzcompress($raw)) . $chunk('IEND', '');
}

/** A multipart/form-data body of $fields plus one file part per name => [filename, type, bytes]. */
function multipart(array $fields, array $files, &$contentType)
{
    $bd = 'rdtest' . bin2hex(random_bytes(8));
    $out = '';
    foreach ($fields as $k => $v) {
        $out .= "--$bd\r\nContent-Disposition: form-data; name=\"$k\"\r\n\r\n$v\r\n";
    }
    foreach ($files as $k => $f) {
        $out .= "--$bd\r\nContent-Disposition: form-data; name=\"$k\"; filename=\"{$f[0]}\"\r\n" .
            "Content-Type: {$f[1]}\r\n\r\n{$f[2]}\r\n";
    }
    $contentType = 'multipart/form-data; boundary=' . $bd;
    return $out . "--$bd--\r\n";
}

/**
 * A buyer follows a hand-off link and files a refund through the desk's
 * form (urlencoded; multipart when $evidence, a PNG's bytes, is given).
 * Returns the refund id.
 */
function buyer_refund($startUrl, $orderNo, $type, $destination, $reason = '买错了，卡密还没有查看，想退款。谢谢！', $evidence = null)
{
    $b = new Browser();
    $r = $b->get($startUrl);
    eq(303, $r['status'], 'hand-off link');
    check(isset($b->jar['rd']), 'hand-off set no session cookie');
    $form = $b->get(desk_url('/refund/new?order=' . $orderNo));
    eq(200, $form['status'], 'refund form');
    $fields = array(
        'csrf' => input_value($form['body'], 'csrf'), 'idem' => input_value($form['body'], 'idem'),
        'order' => $orderNo, 'type' => $type, 'reason' => $reason, 'destination' => $destination,
    );
    if ($evidence === null) {
        $r = $b->post(desk_url('/refund/new'), $fields);
    } else {
        $body = multipart($fields, array('evidence' => array('shot.png', 'image/png', $evidence)), $ct);
        $r = $b->request('POST', desk_url('/refund/new'), $body, array('Content-Type: ' . $ct));
    }
    eq(303, $r['status'], 'refund submit: ' . substr(strip_tags($r['body']), 0, 300));
    check(preg_match('#/refund/([A-Za-z0-9]{22})(?:\?done=submitted)?$#', (string)location($r), $m) === 1, 'Location is /refund/ID');
    return $m[1];
}

/** Sleeps into the next second: two identical signed calls must not share a timestamp. */
function next_second()
{
    $t = time();
    while (time() === $t) {
        usleep(20000);
    }
}

/** A new order body like a card shop's, unique per run. */
function order_body($over = array())
{
    static $n = 0;
    $n++;
    $no = 'P' . base_convert((string)(int)(microtime(true) * 1000), 10, 36) . getmypid() % 1000 . $n;
    return array_merge(array(
        'order_no' => $no, 'buyer_id' => 'pb' . $no, 'merchant_id' => 'm-php', 'category' => 'game_card',
        'title' => 'PHP 测试点卡 100 元', 'amount' => 10000, 'currency' => 'CNY', 'pay_channel' => 'alipay',
        'paid_at' => time() - 600, 'contact' => strtolower($no) . '@example.com', 'lookup_code' => 'LC' . bin2hex(random_bytes(6)),
    ), $over);
}

/** Runs `refund-desk worker --once` with the stack's config, or a copy whose webhook is changed. */
function worker_once($webhook = null)
{
    $cfg = need_env('RD_CONFIG');
    if ($webhook !== null) {
        // Objects, not arrays: an empty {} in the config (claims, suppliers) stays an object.
        $c = json_decode(file_get_contents($cfg));
        foreach ($webhook as $k => $v) {
            $c->webhook->$k = $v;
        }
        $cfg = need_env('RD_DIR') . '/config-php-test.json';
        file_put_contents($cfg, json_encode($c, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT));
        chmod($cfg, 0600);
    }
    exec(escapeshellarg(need_env('RD_BIN')) . ' --config ' . escapeshellarg($cfg) . ' worker --once 2>&1', $out, $rc);
    eq(0, $rc, 'worker --once: ' . implode("\n", $out));
    return implode("\n", $out);
}
