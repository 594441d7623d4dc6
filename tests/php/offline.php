<?php
// offline.php: the PHP helper without a desk: published test vectors,
// yuanToFen, verifyWebhook on made-up requests, argument checks, the PSR-4
// mapping and PHP 7.2 syntax. Run: php tests/php/offline.php
require __DIR__ . '/lib.php';
require __DIR__ . '/lint72.php';
$root = dirname(__DIR__, 2);
require $root . '/php/RefundDesk.php';

use RefundDesk\Client;
use RefundDesk\SignatureError;

// The vectors of php/README.md, computed independently with Python's hmac.
const SECRET = 'rd-test-secret-0123456789abcdef';
const TS = '1764763200';

t('vector: API POST signature', function () {
    $body = '{"order_no":"D20261203001","amount":1999}';
    eq('420be2f76261cc868076a6f8824bcb6da6eca152e437292092ba70b919b0bebd', hash('sha256', $body), 'sha256(body)');
    eq('cd8846d895a991ebdad21a468c92bb2900c1ebc4a30bf826c0f730dd0cb3d54b',
        Client::signature(SECRET, 'POST', '/api/v1/orders', TS, $body));
});

t('vector: API GET signature (empty body)', function () {
    eq('e5473dd6e33a4978eeaab06c9d47de5d8c50039684a4d1e8f08e469460ad74b5',
        Client::signature(SECRET, 'GET', '/api/v1/orders/D20261203001', TS, ''));
});

t('vector: hand-off link signature', function () {
    eq('687bf228cb92cd6b777e0a67b76258c5a3c1f4e67171d0e145036b33a14ae8e7',
        Client::linkSignature(SECRET, 'D20261203001', 'u10086', TS));
});

t('vector: webhook signature over the receiver path and query', function () {
    $body = '{"id":"evt_1","type":"refund.approved"}';
    eq('0c2d8fd8604881d8d269d6607ac41460316cc08c67c9b53a3b6a33309201a928',
        Client::signature('rd-webhook-secret', 'POST', '/refund-hook.php?shop=1', TS, $body));
});

t('startUrl: mount kept, signed at call time, verifiable', function () {
    $c = new Client('https://shop.example/refund-desk/', SECRET);
    $t0 = time();
    $u = $c->startUrl('D20261203001', 'u10086');
    $p = parse_url($u);
    eq('https', $p['scheme']);
    eq('shop.example', $p['host']);
    eq('/refund-desk/refund/start', $p['path']);
    parse_str($p['query'], $q);
    eq(array('order', 'buyer', 'ts', 'sig'), array_keys($q));
    check((int)$q['ts'] >= $t0 && (int)$q['ts'] <= time(), 'ts is now');
    eq(Client::linkSignature(SECRET, 'D20261203001', 'u10086', $q['ts']), $q['sig']);
    $c2 = new Client('http://127.0.0.1:8080', SECRET);
    eq(0, strpos($c2->startUrl('A1', 'b'), 'http://127.0.0.1:8080/refund/start?order=A1&buyer=b&ts='));
});

t('identifiers outside [A-Za-z0-9_-] are refused before anything is sent', function () {
    $c = new Client('http://127.0.0.1:9', SECRET);
    foreach (array('', 'a/b', 'a?b', 'a b', "a\n", str_repeat('x', 33), '订单', '../x') as $bad) {
        throws('InvalidArgumentException', function () use ($c, $bad) {
            $c->startUrl($bad, 'buyer');
        }, var_export($bad, true));
        throws('InvalidArgumentException', function () use ($c, $bad) {
            $c->getOrder($bad);
        }, var_export($bad, true));
    }
    throws('InvalidArgumentException', function () use ($c) {
        $c->reportPayout('abc', 'done');
    });
    foreach (array(array('refunded', -1), array('settled', 100), array('', 0)) as $bad) {
        throws('InvalidArgumentException', function () use ($c, $bad) {
            $c->reportUpstreamClaim('A1', $bad[0], $bad[1]);
        }, 'upstream claim ' . var_export($bad, true));
    }
    throws('InvalidArgumentException', function () use ($c) {
        $c->reportUpstreamClaim('a/b', 'rejected', 0);
    });
    foreach (array('100.00', 99.99, '10000') as $amount) {
        throws('InvalidArgumentException', function () use ($c, $amount) {
            $c->registerOrder(array('order_no' => 'A1', 'amount' => $amount));
        }, 'amount ' . var_export($amount, true));
    }
});

t('constructor refuses bad base URLs and unknown options', function () {
    foreach (array('', 'shop.example', 'ftp://x/', 'http://x/?a=1', 'http://u:p@x/', 'http://x/#f', 'http:///x') as $bad) {
        throws('InvalidArgumentException', function () use ($bad) {
            new Client($bad, SECRET);
        }, $bad);
    }
    throws('InvalidArgumentException', function () {
        new Client('http://x', SECRET, array('webhook_secre' => 'typo'));
    });
    throws('InvalidArgumentException', function () {
        new Client('http://x', SECRET, array('timeout' => 0));
    });
    throws('InvalidArgumentException', function () {
        new Client('http://x', '');
    });
});

t('transport: curl when loaded, stream otherwise, or as asked', function () {
    $c = new Client('http://x', SECRET);
    eq(extension_loaded('curl') ? 'curl' : 'stream', $c->transport());
    eq('stream', (new Client('http://x', SECRET, array('transport' => 'stream')))->transport());
});

t('a network failure is ApiError status 0 code network (both transports), whatever the shop\'s error handler', function () {
    $modes = extension_loaded('curl') ? array('curl', 'stream') : array('stream');
    // A shop's handler that turns every warning into an exception, '@' or not.
    set_error_handler(function ($no, $msg) {
        throw new ErrorException('shop handler: ' . $msg);
    });
    foreach ($modes as $mode) {
        // Port 9 (discard) on loopback: nothing listens, connect is refused at once.
        $c = new Client('http://127.0.0.1:9', SECRET, array('transport' => $mode));
        $e = throws('RefundDesk\ApiError', function () use ($c) {
            $c->getOrder('X1');
        }, $mode);
        eq(0, $e->getStatus(), $mode);
        eq('network', $e->getErrorCode(), $mode);
        check(preg_match('/refused|connect/i', $e->getMessage()) === 1, 'the reason is kept: ' . $e->getMessage());
    }
    restore_error_handler();
});

t('TLS is verified: a self-signed desk is refused on both transports', function () {
    $dir = sys_get_temp_dir() . '/rd-php-tls.' . getmypid();
    @mkdir($dir, 0700);
    exec('openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 ' .
        '-keyout ' . escapeshellarg("$dir/key.pem") . ' -out ' . escapeshellarg("$dir/cert.pem") . ' 2>&1', $out, $rc);
    eq(0, $rc, 'openssl req: ' . implode("\n", $out));
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    $srv = proc_open(array('openssl', 's_server', '-quiet', '-www', '-accept', "127.0.0.1:$port",
        '-cert', "$dir/cert.pem", '-key', "$dir/key.pem"), array(0 => array('pipe', 'r'), 1 => array('file', '/dev/null', 'w'),
        2 => array('file', '/dev/null', 'w')), $pipes);
    try {
        $deadline = microtime(true) + 5;
        // Up, and answering TLS when the certificate is not checked: so a
        // refusal below is the verification, not a dead server.
        $ctx = stream_context_create(array('ssl' => array('verify_peer' => false, 'verify_peer_name' => false)));
        do {
            usleep(50000);
            $plain = @file_get_contents("https://127.0.0.1:$port/", false, $ctx);
        } while ($plain === false && microtime(true) < $deadline);
        check($plain !== false, 'openssl s_server did not answer');
        $modes = extension_loaded('curl') ? array('curl', 'stream') : array('stream');
        foreach ($modes as $mode) {
            $c = new Client("https://127.0.0.1:$port", SECRET, array('transport' => $mode));
            $e = throws('RefundDesk\ApiError', function () use ($c) {
                $c->getOrder('X1');
            }, $mode);
            eq('network', $e->getErrorCode(), $mode . ': ' . $e->getMessage());
        }
    } finally {
        proc_terminate($srv);
        proc_close($srv);
        array_map('unlink', glob("$dir/*"));
        rmdir($dir);
    }
});

// ---- yuanToFen
t('yuanToFen: valid inputs', function () {
    $table = array(
        '0' => 0, '0.0' => 0, '0.00' => 0, '0.01' => 1, '0.1' => 10, '0.10' => 10, '1' => 100,
        '70' => 7000, '70.5' => 7050, '70.50' => 7050, '19.99' => 1999, '007' => 700, '00.07' => 7,
        '100000000' => 10000000000, '90071992547409.92' => 9007199254740992,
    );
    foreach ($table as $in => $want) {
        eq($want, Client::yuanToFen((string)$in), "yuanToFen('$in')");
    }
});

t('yuanToFen: invalid inputs throw', function () {
    $bad = array('', ' ', ' 70', '70 ', "70\n", '-1', '+1', '1.234', '.5', '5.', '1e3', '0x10', '1,000',
        '1 000', '７０', '70元', '¥70', 'NaN', 'INF', '1.2.3', '0.001', '1..2',
        '90071992547409.93', '99999999999999999999', '1' . str_repeat('0', 30));
    foreach ($bad as $in) {
        throws('InvalidArgumentException', function () use ($in) {
            Client::yuanToFen($in);
        }, var_export($in, true));
    }
});

t('yuanToFen: the result is an int, never a float', function () {
    eq('integer', gettype(Client::yuanToFen('0.29')));
    eq(29, Client::yuanToFen('0.29'));      // (int)(0.29 * 100) would be 28
    eq(57, Client::yuanToFen('0.57'));      // and 56 here
});

// ---- verifyWebhook without a desk
function signed_webhook($secret, $path, $body, $ts)
{
    return array('X-RD-Timestamp' => (string)$ts,
        'X-RD-Signature' => Client::signature($secret, 'POST', $path, (string)$ts, $body));
}

t('verifyWebhook: a good event in every header shape', function () {
    $c = new Client('http://x', SECRET, array('webhook_secret' => 'whsec'));
    $body = '{"id":"e1","type":"refund.approved","created_at":1,"data":{"refund_id":"r"}}';
    $h = signed_webhook('whsec', '/hook.php?shop=1', $body, time());
    eq('e1', $c->verifyWebhook($body, $h, '/hook.php?shop=1')['id']);
    $lower = array_change_key_case($h, CASE_LOWER);
    eq('refund.approved', $c->verifyWebhook($body, $lower, '/hook.php?shop=1')['type']);
    $psr7 = array('X-Rd-Timestamp' => array($h['X-RD-Timestamp']), 'X-Rd-Signature' => array($h['X-RD-Signature']));
    eq('e1', $c->verifyWebhook($body, $psr7, '/hook.php?shop=1')['id']);
    $server = array('HTTP_X_RD_TIMESTAMP' => $h['X-RD-Timestamp'], 'HTTP_X_RD_SIGNATURE' => $h['X-RD-Signature']);
    $_SERVER['REQUEST_URI'] = '/hook.php?shop=1';
    eq('e1', $c->verifyWebhook($body, $server)['id'], 'path from REQUEST_URI');
});

t('verifyWebhook: tampered, stale, future, wrong path, wrong secret, missing', function () {
    $c = new Client('http://x', SECRET, array('webhook_secret' => 'whsec'));
    $body = '{"id":"e2","type":"refund.approved","data":{}}';
    $now = time();
    $cases = array(
        'body changed' => array(str_replace('e2', 'e3', $body), signed_webhook('whsec', '/h', $body, $now), '/h'),
        'path changed' => array($body, signed_webhook('whsec', '/h', $body, $now), '/h?x=1'),
        'query dropped' => array($body, signed_webhook('whsec', '/h?x=1', $body, $now), '/h'),
        'api secret' => array($body, signed_webhook(SECRET, '/h', $body, $now), '/h'),
        'stale' => array($body, signed_webhook('whsec', '/h', $body, $now - 301), '/h'),
        'future' => array($body, signed_webhook('whsec', '/h', $body, $now + 301), '/h'),
        'no headers' => array($body, array(), '/h'),
        'uppercase hex' => array($body, array_map('strtoupper', signed_webhook('whsec', '/h', $body, $now)), '/h'),
        'padded ts' => array($body, array('X-RD-Timestamp' => '0' . $now,
            'X-RD-Signature' => Client::signature('whsec', 'POST', '/h', (string)$now, $body)), '/h'),
        'not an event' => array('[1]', signed_webhook('whsec', '/h', '[1]', $now), '/h'),
    );
    foreach ($cases as $what => $args) {
        throws('RefundDesk\SignatureError', function () use ($c, $args) {
            $c->verifyWebhook($args[0], $args[1], $args[2]);
        }, $what);
    }
    // The tolerance is the caller's: 301 s old passes with 400.
    $h = signed_webhook('whsec', '/h', $body, $now - 301);
    eq('e2', $c->verifyWebhook($body, $h, '/h', 400)['id']);
});

t('verifyWebhook: without webhook_secret the API secret is the key (the desk falls back too)', function () {
    $c = new Client('http://x', SECRET);
    $body = '{"id":"e4","type":"escrow.released","data":{}}';
    eq('e4', $c->verifyWebhook($body, signed_webhook(SECRET, '/h', $body, time()), '/h')['id']);
});

// ---- packaging
t('PSR-4: composer.json maps RefundDesk\\ to php/src, every class loads from there', function () use ($root) {
    $composer = json_decode(file_get_contents($root . '/php/composer.json'), true);
    eq(array('RefundDesk\\' => 'src/'), $composer['autoload']['psr-4']);
    foreach (array('Client', 'ApiError', 'SignatureError') as $cls) {
        $file = $root . '/php/src/' . $cls . '.php';
        check(is_file($file), "$file missing");
        // A fresh PHP that knows only the PSR-4 rule must find the class.
        $code = 'spl_autoload_register(function ($c) { $p = "RefundDesk\\\\"; if (strpos($c, $p) === 0) ' .
            '{ require ' . var_export($root . '/php/src/', true) . ' . substr($c, strlen($p)) . ".php"; } });' .
            'echo class_exists(' . var_export('RefundDesk\\' . $cls, true) . ') && class_exists("RefundDesk\\\\Client") ? "yes" : "no";';
        eq('yes', shell_exec(escapeshellarg(PHP_BINARY) . ' -r ' . escapeshellarg($code)), $cls);
    }
});

t('PHP 7.2 syntax: php -l and no newer constructs in the helper and the demo shop', function () use ($root) {
    $files = array_merge(array($root . '/php/RefundDesk.php'), glob($root . '/php/src/*.php'),
        glob($root . '/php/demo-shop/*.php') ?: array(), glob($root . '/php/demo-shop/*/*.php') ?: array());
    foreach ($files as $f) {
        exec(escapeshellarg(PHP_BINARY) . ' -l ' . escapeshellarg($f) . ' 2>&1', $o, $rc);
        eq(0, $rc, "php -l $f");
        eq(array(), lint72($f), $f);
    }
});

t('the 7.2 lint finds each newer construct (it can fail)', function () {
    $snippets = array(
        '$f = fn($x) => $x;', '$a = match($x) { 1 => 2 };', '$a = $b?->c;', '$a ??= 1;',
        'class A { public int $x; }', 'class A { private ?string $x; }', 'f(a: 1);', 'f(1, 2,);',
        'function f(int|string $x) {}', 'class A { function __construct(private $x) {} }',
        '$x = 1_000;', '$a = [...$b];', 'str_contains($a, $b);', 'array_key_first($a);',
        'json_decode($a, true, 512, JSON_THROW_ON_ERROR);', '$a = $b ?? throw new E();',
        'function f(): static { }', '#[Attr] function f() {}', 'function f(mixed $x) {}',
        'enum Suit {}', '$f = strlen(...);', 'function f($a, $b,) {}',
    );
    $tmp = tempnam(sys_get_temp_dir(), 'lint72');
    foreach ($snippets as $s) {
        file_put_contents($tmp, "<?php\n" . $s . "\n");
        check(lint72($tmp) !== array(), "not found: $s");
    }
    $ok = '$a = isset($b) ? $b : null; f(array(1, 2,)); $c = array(1, 2,); class B { public $x; private static $y = 1; ' .
        'public function f(?string $a = null, array $b = array()): ?array { return $a ? null : array(); } } ' .
        'if ($a) throw new E(); $x = $a ? A::B : C::D; function g(...$args) { return h(...$args); }';
    file_put_contents($tmp, "<?php\n" . $ok . "\n");
    eq(array(), lint72($tmp), 'false positives');
    unlink($tmp);
});

done('php-offline');
