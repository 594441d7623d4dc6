<?php
/**
 * RefundDesk.php: the storefront side of refund-desk in one file.
 *
 * Copy this file into any PHP 7.2+ shop (dujiaoka, acg-faka, a 宝塔 site
 * without composer) and require it. No dependencies: ext-curl is used when it
 * is loaded, PHP streams (with ext-openssl for https) otherwise.
 *
 *   require __DIR__ . '/RefundDesk.php';
 *   $desk = new \RefundDesk\Client('https://shop.example/refund-desk', $apiSecret,
 *       ['webhook_secret' => $webhookSecret]);
 *   $desk->registerOrder([...]);                       // after payment
 *   header('Location: ' . $desk->startUrl($orderNo, $buyerId), true, 303);
 *
 * The wire formats are CONTRACT.md §5 (API, webhooks) and §3 (hand-off link);
 * php/README.md has the whole guide and test vectors. Written in PHP 7.2
 * syntax on purpose (tests/php/lint72.php checks it).
 */

namespace RefundDesk;

/**
 * The desk answered with an error, or could not be reached. getStatus() is
 * the HTTP status (0 when no answer arrived), getErrorCode() the desk's
 * error.code ("bad_signature", "not_found", "order_conflict", ...; "network"
 * when no answer arrived, "bad_response" when the answer was not JSON).
 */
class ApiError extends \RuntimeException
{
    /** @var int */
    private $status;
    /** @var string */
    private $errorCode;
    /** @var array|null */
    private $body;

    public function __construct(int $status, string $errorCode, string $message, $body = null, ?\Throwable $previous = null)
    {
        parent::__construct($message, $status, $previous);
        $this->status = $status;
        $this->errorCode = $errorCode;
        $this->body = is_array($body) ? $body : null;
    }

    public function getStatus(): int
    {
        return $this->status;
    }

    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** The decoded error body, or null when it was not JSON. */
    public function getBody()
    {
        return $this->body;
    }
}

/** A webhook whose signature is missing, wrong or outside the tolerance. */
class SignatureError extends \RuntimeException
{
}

class Client
{
    const VERSION = '1.0.0';
    const CONNECT_TIMEOUT = 5;
    const TOTAL_TIMEOUT = 10;
    /** Largest amount the desk accepts (2^53 fen: survives a JSON double). */
    const MONEY_MAX = '9007199254740992';

    /** @var string scheme://host[:port] */
    private $origin;
    /** @var string the desk's mount path, '' or '/refund-desk' */
    private $mount;
    /** @var string */
    private $scheme;
    /** @var string */
    private $host;
    /** @var int */
    private $port;
    /** @var string */
    private $secret;
    /** @var string */
    private $webhookSecret;
    /** @var float */
    private $timeout;
    /** @var string 'curl' or 'stream' */
    private $transport;

    /**
     * $baseUrl: where the desk is mounted, e.g. https://shop.example/refund-desk.
     * $opts: webhook_secret (the desk's webhook.secret; the API secret when
     * absent, as the desk falls back to it), timeout (total seconds per call,
     * default 10), transport ('curl' or 'stream'; default curl when loaded).
     */
    public function __construct(string $baseUrl, string $apiSecret, array $opts = array())
    {
        $u = parse_url($baseUrl);
        if ($u === false || !isset($u['scheme'], $u['host']) ||
            !in_array(strtolower($u['scheme']), array('http', 'https'), true) ||
            isset($u['user']) || isset($u['pass']) || isset($u['query']) || isset($u['fragment'])) {
            throw new \InvalidArgumentException('baseUrl must be http(s)://host[:port][/mount] without query: ' . $baseUrl);
        }
        if ($apiSecret === '') {
            throw new \InvalidArgumentException('apiSecret is empty');
        }
        foreach (array_keys($opts) as $k) {
            if (!in_array($k, array('webhook_secret', 'timeout', 'transport'), true)) {
                throw new \InvalidArgumentException('unknown option ' . $k);
            }
        }
        $this->scheme = strtolower($u['scheme']);
        $this->host = $u['host'];
        $this->port = isset($u['port']) ? (int)$u['port'] : ($this->scheme === 'https' ? 443 : 80);
        $default = $this->scheme === 'https' ? 443 : 80;
        $this->origin = $this->scheme . '://' . $this->host . ($this->port === $default ? '' : ':' . $this->port);
        $this->mount = isset($u['path']) ? rtrim($u['path'], '/') : '';
        if (preg_match('#[\x00-\x20\x7f]#', $this->mount)) {
            throw new \InvalidArgumentException('baseUrl path has spaces or control characters');
        }
        $this->secret = $apiSecret;
        $this->webhookSecret = isset($opts['webhook_secret']) && $opts['webhook_secret'] !== ''
            ? (string)$opts['webhook_secret'] : $apiSecret;
        $this->timeout = self::TOTAL_TIMEOUT;
        if (isset($opts['timeout'])) {
            if (!is_numeric($opts['timeout']) || $opts['timeout'] <= 0) {
                throw new \InvalidArgumentException('timeout must be a positive number of seconds');
            }
            $this->timeout = (float)$opts['timeout'];
        }
        $this->transport = extension_loaded('curl') ? 'curl' : 'stream';
        if (isset($opts['transport'])) {
            if ($opts['transport'] !== 'curl' && $opts['transport'] !== 'stream') {
                throw new \InvalidArgumentException("transport must be 'curl' or 'stream'");
            }
            if ($opts['transport'] === 'curl' && !extension_loaded('curl')) {
                throw new \InvalidArgumentException('transport curl asked for but ext-curl is not loaded');
            }
            $this->transport = $opts['transport'];
        }
    }

    /** 'curl' or 'stream': how this client talks to the desk. */
    public function transport(): string
    {
        return $this->transport;
    }

    // ------------------------------------------------------------ the API

    /** POST /api/v1/orders: a paid order (order_no, buyer_id, merchant_id,
     *  category, title, amount in fen, currency, pay_channel, paid_at, contact,
     *  lookup_code). The same body again is a no-op. */
    public function registerOrder(array $order): array
    {
        // The commonest slip: dujiaoka's actual_price ("100.00") passed as is.
        if (isset($order['amount']) && !is_int($order['amount'])) {
            throw new \InvalidArgumentException('amount must be integer fen: Client::yuanToFen("100.00") gives 10000');
        }
        return $this->call('POST', '/api/v1/orders', $order);
    }

    /** POST /api/v1/orders/NO/delivery: state (delivered|failed), kind, at. */
    public function reportDelivery(string $orderNo, array $delivery): array
    {
        return $this->call('POST', '/api/v1/orders/' . self::ident($orderNo, 32, 'orderNo') . '/delivery', $delivery);
    }

    /** POST /api/v1/orders/NO/usage: key_revealed_at, redeemed, topup, activated_at. */
    public function reportUsage(string $orderNo, array $usage): array
    {
        return $this->call('POST', '/api/v1/orders/' . self::ident($orderNo, 32, 'orderNo') . '/usage', $usage);
    }

    /** GET /api/v1/orders/NO: {"order": {...}, "refunds": [...]}. */
    public function getOrder(string $orderNo): array
    {
        return $this->call('GET', '/api/v1/orders/' . self::ident($orderNo, 32, 'orderNo'), null);
    }

    /** GET /api/v1/refunds/ID: {"refund": {...}}. */
    public function getRefund(string $id): array
    {
        return $this->call('GET', '/api/v1/refunds/' . self::ident($id, 64, 'refund id'), null);
    }

    /** POST /api/v1/refunds/ID/payout: the original-path refund 'succeeded' or 'failed'. */
    public function reportPayout(string $refundId, string $state): array
    {
        if ($state !== 'succeeded' && $state !== 'failed') {
            throw new \InvalidArgumentException("payout state must be 'succeeded' or 'failed'");
        }
        return $this->call('POST', '/api/v1/refunds/' . self::ident($refundId, 64, 'refund id') . '/payout',
            array('state' => $state));
    }

    /**
     * POST /api/v1/orders/NO/upstream-claim: for a supplier the desk reaches
     * through you (config suppliers: {"ID": {"kind": "storefront"}}), the
     * outcome of the claim a supplier_claim.requested webhook asked you to
     * file: 'refunded' with the fen it paid back, or 'rejected' (amount 0).
     */
    public function reportUpstreamClaim(string $orderNo, string $state, int $amount): array
    {
        if ($state !== 'refunded' && $state !== 'rejected') {
            throw new \InvalidArgumentException("upstream claim state must be 'refunded' or 'rejected'");
        }
        if ($amount < 0) {
            throw new \InvalidArgumentException('amount is fen, 0 or more');
        }
        return $this->call('POST', '/api/v1/orders/' . self::ident($orderNo, 32, 'orderNo') . '/upstream-claim',
            array('state' => $state, 'amount' => $amount));
    }

    /**
     * The hand-off link for a buyer's 申请退款 button. It is valid for 15
     * minutes from now and works once, so make it when the buyer clicks
     * (a redirect from your own POST or GET handler), not when the page renders.
     */
    public function startUrl(string $orderNo, string $buyerId): string
    {
        $order = self::ident($orderNo, 32, 'orderNo');
        $buyer = self::ident($buyerId, 64, 'buyerId');
        $ts = (string)time();
        $sig = self::linkSignature($this->secret, $order, $buyer, $ts);
        return $this->origin . $this->mount . '/refund/start?order=' . $order . '&buyer=' . $buyer .
            '&ts=' . $ts . '&sig=' . $sig;
    }

    // ------------------------------------------------------------ webhooks

    /**
     * Checks a webhook and returns the event {"id", "type", "created_at", "data"}.
     * $rawBody: file_get_contents('php://input'). $headers: getallheaders(),
     * $_SERVER, or any name => value map (names in any case; HTTP_X_RD_... too).
     * $path: the path and query this request arrived at, as the desk signed it
     * ($_SERVER['REQUEST_URI'] when null). Throws SignatureError when the
     * signature is missing or wrong or the timestamp is more than $tolerance
     * seconds away. Deduplicate on the event id: a retry carries the same id.
     */
    public function verifyWebhook(string $rawBody, array $headers, ?string $path = null, int $tolerance = 300): array
    {
        if ($path === null) {
            $path = isset($_SERVER['REQUEST_URI']) ? (string)$_SERVER['REQUEST_URI'] : '';
        }
        $ts = self::header($headers, 'X-RD-Timestamp');
        $sig = self::header($headers, 'X-RD-Signature');
        if ($ts === null || $sig === null) {
            throw new SignatureError('X-RD-Timestamp or X-RD-Signature missing');
        }
        if (!preg_match('/^[0-9]{1,12}\z/', $ts) || !preg_match('/^[0-9a-f]{64}\z/', $sig)) {
            throw new SignatureError('malformed X-RD-Timestamp or X-RD-Signature');
        }
        if ($path === '' || $path[0] !== '/' || preg_match('/[\r\n]/', $path)) {
            throw new SignatureError('no request path to verify against');
        }
        $want = self::signature($this->webhookSecret, 'POST', $path, $ts, $rawBody);
        if (!hash_equals($want, $sig)) {
            throw new SignatureError('webhook signature does not match');
        }
        if (abs(time() - (int)$ts) > $tolerance) {
            throw new SignatureError('webhook timestamp outside the tolerance of ' . $tolerance . ' s');
        }
        $event = json_decode($rawBody, true);
        if (!is_array($event) || !isset($event['id'], $event['type']) || !is_string($event['type'])) {
            throw new SignatureError('signed body is not a webhook event');
        }
        return $event;
    }

    // ------------------------------------------------------------ pure helpers

    /**
     * hex HMAC-SHA256(secret, METHOD\nPATH\nTIMESTAMP\nhex(sha256(body))): the
     * signature of an API request (PATH is the route below the mount plus
     * ?QUERY when there is one) and of a webhook (PATH is the receiver's own).
     */
    public static function signature(string $secret, string $method, string $path, string $timestamp, string $body): string
    {
        return hash_hmac('sha256', $method . "\n" . $path . "\n" . $timestamp . "\n" . hash('sha256', $body), $secret);
    }

    /** hex HMAC-SHA256(secret, "order=NO&buyer=ID&ts=UNIX"): the hand-off link's sig. */
    public static function linkSignature(string $secret, string $orderNo, string $buyerId, string $timestamp): string
    {
        return hash_hmac('sha256', 'order=' . $orderNo . '&buyer=' . $buyerId . '&ts=' . $timestamp, $secret);
    }

    /**
     * "70" -> 7000, "70.5" -> 7050, "0.01" -> 1: yuan as a person types it to
     * integer fen, without floats. Digits, then optionally '.' and one or two
     * digits; nothing else (no sign, space, comma, exponent). At most 2^53 fen.
     * Throws InvalidArgumentException otherwise.
     */
    public static function yuanToFen(string $yuan): int
    {
        if (!preg_match('/^([0-9]+)(?:\.([0-9]{1,2}))?\z/', $yuan, $m)) {
            throw new \InvalidArgumentException('not an amount in yuan: "' . $yuan . '"');
        }
        $whole = ltrim($m[1], '0');
        $cents = isset($m[2]) ? str_pad($m[2], 2, '0') : '00';
        $digits = ltrim($whole . $cents, '0');
        if ($digits === '') {
            return 0;
        }
        $limit = PHP_INT_SIZE >= 8 ? self::MONEY_MAX : (string)PHP_INT_MAX;
        if (strlen($digits) > strlen($limit) || (strlen($digits) === strlen($limit) && strcmp($digits, $limit) > 0)) {
            throw new \InvalidArgumentException('amount too large: "' . $yuan . '"');
        }
        return (int)$digits;
    }

    // ------------------------------------------------------------ internals

    /** Identifiers travel unencoded in paths and links: [A-Za-z0-9_-] only. */
    private static function ident(string $s, int $max, string $what): string
    {
        if (!preg_match('/^[A-Za-z0-9_-]{1,' . $max . '}\z/', $s)) {
            throw new \InvalidArgumentException($what . ' must be 1 to ' . $max . ' of A-Z a-z 0-9 _ -');
        }
        return $s;
    }

    /** One header from getallheaders(), a PSR-7 style map or $_SERVER. */
    private static function header(array $headers, string $name)
    {
        $server = 'HTTP_' . strtoupper(str_replace('-', '_', $name));
        foreach ($headers as $k => $v) {
            if (!is_string($k) || (strcasecmp($k, $name) !== 0 && $k !== $server)) {
                continue;
            }
            if (is_array($v)) {
                $v = count($v) === 1 ? reset($v) : null;
            }
            return is_string($v) ? trim($v) : null;
        }
        return null;
    }

    private function call(string $method, string $route, $data): array
    {
        $body = '';
        if ($data !== null) {
            // An empty PHP array must still go out as a JSON object.
            $body = json_encode($data === array() ? new \stdClass() : $data,
                JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
            if ($body === false) {
                throw new \InvalidArgumentException('request body cannot be JSON-encoded: ' . json_last_error_msg());
            }
        }
        $now = time();
        // The desk refuses a signature it has seen (409 replayed). Two equal
        // calls in one second (a retry, or two PHP workers reporting the same
        // fact) would sign the same bytes: every call carries a random nonce
        // in its query, which is signed and which the desk ignores.
        $route .= (strpos($route, '?') === false ? '?' : '&') . 'rd_nonce=' . bin2hex(random_bytes(8));
        $ts = (string)$now;
        $headers = array(
            'Accept: application/json',
            'User-Agent: refund-desk-php/' . self::VERSION,
            'X-RD-Timestamp: ' . $ts,
            'X-RD-Signature: ' . self::signature($this->secret, $method, $route, $ts, $body),
        );
        if ($method === 'POST') {
            $headers[] = 'Content-Type: application/json';
        }
        $res = $this->transport === 'curl'
            ? $this->sendCurl($method, $this->mount . $route, $headers, $body)
            : $this->sendStream($method, $this->mount . $route, $headers, $body);
        $status = $res[0];
        $json = json_decode($res[1], true);
        if ($status >= 200 && $status < 300) {
            if (!is_array($json)) {
                throw new ApiError($status, 'bad_response', 'the desk answered HTTP ' . $status . ' without a JSON object');
            }
            return $json;
        }
        if (is_array($json) && isset($json['error']['code']) && is_string($json['error']['code'])) {
            $msg = isset($json['error']['message']) && is_string($json['error']['message']) ? $json['error']['message'] : '';
            throw new ApiError($status, $json['error']['code'], 'HTTP ' . $status . ' ' . $json['error']['code'] .
                ($msg !== '' ? ': ' . $msg : ''), $json);
        }
        throw new ApiError($status, 'http_' . $status, 'HTTP ' . $status . ' from the desk (not a JSON error)');
    }

    /** @return array{0:int,1:string} */
    private function sendCurl(string $method, string $path, array $headers, string $body): array
    {
        $ch = curl_init($this->origin . $path);
        $opts = array(
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            // No "Expect: 100-continue" for bodies over 1 KiB: some panels' proxies stall on it.
            CURLOPT_HTTPHEADER => array_merge($headers, array('Expect:')),
            CURLOPT_CONNECTTIMEOUT_MS => (int)(1000 * min(self::CONNECT_TIMEOUT, $this->timeout)),
            CURLOPT_TIMEOUT_MS => (int)(1000 * $this->timeout),
            CURLOPT_NOSIGNAL => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
        );
        if ($method === 'POST') {
            $opts[CURLOPT_POSTFIELDS] = $body;
        }
        curl_setopt_array($ch, $opts);
        $out = curl_exec($ch);
        if ($out === false) {
            $err = curl_error($ch);
            curl_close($ch);
            throw new ApiError(0, 'network', 'cannot reach the desk: ' . $err);
        }
        $status = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return array($status, (string)$out);
    }

    /**
     * HTTP/1.0 over stream_socket_client: a connect timeout of its own and
     * one deadline for the whole exchange, which file_get_contents cannot give.
     * @return array{0:int,1:string}
     */
    private function sendStream(string $method, string $path, array $headers, string $body): array
    {
        // A handler of our own for the exchange: shops often turn warnings
        // into exceptions and ignore '@', and a warning may be the only
        // place the reason for a failure is.
        $warning = '';
        set_error_handler(function ($no, $msg) use (&$warning) {
            $warning = $msg;
            return true;
        });
        try {
            $raw = $this->exchange($method, $path, $headers, $body, $warning);
        } finally {
            restore_error_handler();
        }
        $sep = strpos($raw, "\r\n\r\n");
        if ($sep === false || !preg_match('#^HTTP/\d\.\d (\d{3})#', $raw, $m)) {
            throw new ApiError(0, 'network', 'no HTTP answer from the desk' . ($warning !== '' ? ': ' . $warning : ''));
        }
        $head = substr($raw, 0, $sep);
        $content = (string)substr($raw, $sep + 4);
        if (preg_match('/^Transfer-Encoding:\s*chunked\s*$/mi', $head)) {
            $content = self::dechunk($content);
        } elseif (preg_match('/^Content-Length:\s*(\d+)\s*$/mi', $head, $cl)) {
            $content = (string)substr($content, 0, (int)$cl[1]);
        }
        return array((int)$m[1], $content);
    }

    /** Connects, sends the request and reads the raw answer until the desk closes. */
    private function exchange(string $method, string $path, array $headers, string $body, string &$warning): string
    {
        $deadline = microtime(true) + $this->timeout;
        $ctx = stream_context_create(array('ssl' => array(
            'verify_peer' => true,
            'verify_peer_name' => true,
            'allow_self_signed' => false,
            'peer_name' => trim($this->host, '[]'),
            'SNI_enabled' => true,
        )));
        $remote = ($this->scheme === 'https' ? 'tls://' : 'tcp://') . $this->host . ':' . $this->port;
        $errno = 0;
        $errstr = '';
        $fp = stream_socket_client($remote, $errno, $errstr, min(self::CONNECT_TIMEOUT, $this->timeout),
            STREAM_CLIENT_CONNECT, $ctx);
        if ($fp === false) {
            throw new ApiError(0, 'network', 'cannot reach the desk: ' .
                ($errstr !== '' ? $errstr : ($warning !== '' ? $warning : 'connect failed')));
        }
        $hostHeader = substr($this->origin, strlen($this->scheme) + 3);
        $req = $method . ' ' . $path . " HTTP/1.0\r\nHost: " . $hostHeader . "\r\n" . implode("\r\n", $headers) .
            "\r\nContent-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n" . $body;
        $raw = '';
        try {
            for ($off = 0; $off < strlen($req);) {
                $this->waitBudget($fp, $deadline);
                $n = fwrite($fp, substr($req, $off));
                if ($n === false || $n === 0) {
                    throw new ApiError(0, 'network', 'the desk closed the connection while we were sending');
                }
                $off += $n;
            }
            while (!feof($fp)) {
                $this->waitBudget($fp, $deadline);
                $chunk = fread($fp, 65536);
                $meta = stream_get_meta_data($fp);
                if (!empty($meta['timed_out'])) {
                    throw new ApiError(0, 'network', 'the desk did not answer within ' . $this->timeout . ' s');
                }
                if ($chunk === false) {
                    break;
                }
                $raw .= $chunk;
            }
        } finally {
            fclose($fp);
        }
        return $raw;
    }

    /** Sets the socket's timeout to what is left of the deadline, or gives up. */
    private function waitBudget($fp, float $deadline)
    {
        $left = $deadline - microtime(true);
        if ($left <= 0) {
            throw new ApiError(0, 'network', 'the desk did not answer within ' . $this->timeout . ' s');
        }
        stream_set_timeout($fp, (int)$left, (int)(($left - (int)$left) * 1000000));
    }

    private static function dechunk(string $s): string
    {
        $out = '';
        for ($pos = 0;;) {
            $eol = strpos($s, "\r\n", $pos);
            if ($eol === false) {
                throw new ApiError(0, 'bad_response', 'truncated chunked answer');
            }
            $size = hexdec(trim(substr($s, $pos, $eol - $pos)));
            if ($size === 0) {
                return $out;
            }
            $out .= substr($s, $eol + 2, $size);
            $pos = $eol + 2 + $size + 2;
        }
    }
}
