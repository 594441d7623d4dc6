<?php
// lint72.php: finds syntax and functions newer than PHP 7.2 in a file, from
// PHP 8.2's tokens (Debian has no PHP 7.2 to run `php -l` with). Each rule
// names the version that brought the feature. Used by offline.php; also a
// command: php tests/php/lint72.php FILE... (exit 1 on any finding).

/** @return string[] one line per finding: "file:line: what" */
function lint72($file)
{
    $src = file_get_contents($file);
    $all = token_get_all($src);
    $toks = array();       // significant tokens only: [id or char, text, line]
    $line = 1;
    foreach ($all as $t) {
        if (is_array($t)) {
            $line = $t[2];
            if (in_array($t[0], array(T_WHITESPACE, T_COMMENT, T_DOC_COMMENT), true)) {
                continue;
            }
            $toks[] = array($t[0], $t[1], $t[2]);
        } else {
            $toks[] = array($t, $t, $line);
        }
    }
    $out = array();
    $bad = function ($i, $what) use (&$out, $file, $toks) {
        $out[] = basename($file) . ':' . $toks[$i][2] . ': ' . $what;
    };
    $named = array(
        'T_FN' => 'arrow function fn() (7.4)',
        'T_MATCH' => 'match (8.0)',
        'T_NULLSAFE_OBJECT_OPERATOR' => 'nullsafe ?-> (8.0)',
        'T_COALESCE_EQUAL' => '??= (7.4)',
        'T_ATTRIBUTE' => 'attribute #[ (8.0)',
        'T_ENUM' => 'enum (8.1)',
        'T_READONLY' => 'readonly (8.1)',
        'T_ELLIPSIS' => null,   // 5.6 for variadics; checked below for (...) and [...$x]
    );
    $ids = array();
    foreach ($named as $n => $what) {
        if (defined($n)) {
            $ids[constant($n)] = $what;
        }
    }
    $newFuncs = array(
        'str_contains' => '8.0', 'str_starts_with' => '8.0', 'str_ends_with' => '8.0',
        'get_debug_type' => '8.0', 'fdiv' => '8.0', 'get_resource_id' => '8.0',
        'array_is_list' => '8.1', 'array_key_first' => '7.3', 'array_key_last' => '7.3',
        'is_countable' => '7.3', 'hrtime' => '7.3', 'net_get_interfaces' => '7.3',
        'mb_str_split' => '7.4', 'password_algos' => '7.4', 'get_mangled_object_vars' => '7.4',
    );
    $newConsts = array('JSON_THROW_ON_ERROR' => '7.3', 'PHP_FLOAT_EPSILON' => null, 'MB_CASE_FOLD' => null);
    $vis = array(T_PUBLIC, T_PROTECTED, T_PRIVATE, T_VAR, T_STATIC);
    $typeTok = array(T_STRING, T_ARRAY, T_CALLABLE, T_NS_SEPARATOR);
    if (defined('T_NAME_QUALIFIED')) {
        $typeTok[] = T_NAME_QUALIFIED;
        $typeTok[] = T_NAME_FULLY_QUALIFIED;
    }
    $n = count($toks);
    $depthStack = array();      // for each '(' : 'params' | 'call' | 'other'
    $inClass = 0;
    for ($i = 0; $i < $n; $i++) {
        $id = $toks[$i][0];
        $text = $toks[$i][1];
        $prev = $i > 0 ? $toks[$i - 1][0] : null;
        $next = $i + 1 < $n ? $toks[$i + 1][0] : null;
        if (isset($ids[$id]) && $ids[$id] !== null) {
            $bad($i, $ids[$id]);
        }
        if ($id === T_LNUMBER || $id === T_DNUMBER) {
            if (strpos($text, '_') !== false) {
                $bad($i, 'numeric literal separator (7.4)');
            }
        }
        if ($id === T_STRING) {
            $lc = strtolower($text);
            if (isset($newFuncs[$lc]) && $next === '(' && $prev !== T_OBJECT_OPERATOR && $prev !== T_DOUBLE_COLON &&
                $prev !== T_FUNCTION) {
                $bad($i, "$text() ({$newFuncs[$lc]})");
            }
            if ($text === 'JSON_THROW_ON_ERROR') {
                $bad($i, 'JSON_THROW_ON_ERROR (7.3)');
            }
            // Return types mixed/static/never and param types mixed (8.0+).
            if ($prev === ':' && in_array($lc, array('mixed', 'never'), true)) {
                $bad($i, "type $text (8.0+)");
            }
        }
        if ($id === T_STATIC && $prev === ':' && ($next === '{' || $next === ';')) {
            $bad($i, 'return type static (8.0)');
        }
        if ($id === T_THROW && !in_array($prev, array(';', '{', '}', ':', T_ELSE, T_OPEN_TAG, ')'), true)) {
            // ')' ends `if (...) throw`, which is a statement.
            $bad($i, 'throw as an expression (8.0)');
        }
        if ($id === '(') {
            $kind = 'other';
            if ($prev === T_STRING && $i >= 2 && $toks[$i - 2][0] === T_FUNCTION) {
                $kind = 'params';
            } elseif ($prev === T_FUNCTION || $prev === T_USE) {
                $kind = 'params';
            } elseif (in_array($prev, array(T_STRING, T_VARIABLE, ')', ']', T_ISSET, T_UNSET, T_EMPTY, T_LIST, T_ARRAY), true) ||
                (defined('T_NAME_QUALIFIED') && in_array($prev, array(T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED), true))) {
                $kind = 'call';
            }
            if ($prev === T_ARRAY || $prev === T_LIST) {
                $kind = 'other';    // array(a, b,) and list() allow a trailing comma
            }
            $depthStack[] = $kind;
            if ($next === T_ELLIPSIS && $i + 2 < $n && $toks[$i + 2][0] === ')') {
                $bad($i, 'first-class callable syntax f(...) (8.1)');
            }
        } elseif ($id === ')') {
            $kind = array_pop($depthStack);
            if ($prev === ',' && ($kind === 'call' || $kind === 'params')) {
                $bad($i, $kind === 'call' ? 'trailing comma in a call (7.3)' : 'trailing comma in parameters (8.0)');
            }
        }
        $top = $depthStack ? $depthStack[count($depthStack) - 1] : null;
        if ($top === 'params') {
            // Constructor promotion: a visibility keyword inside a parameter list.
            if (in_array($id, array(T_PUBLIC, T_PROTECTED, T_PRIVATE), true)) {
                $bad($i, 'constructor property promotion (8.0)');
            }
            // Union types: Type|Type before a parameter.
            if ($id === '|' && in_array($prev, $typeTok, true)) {
                $bad($i, 'union type (8.0)');
            }
            if ($id === T_STRING && strtolower($text) === 'mixed' && $next === T_VARIABLE) {
                $bad($i, 'type mixed (8.0)');
            }
        }
        if ($top === 'call') {
            // Named arguments: ( or , then identifier then ':' (not '::').
            if (($id === T_STRING) && ($prev === '(' || $prev === ',') && $next === ':') {
                $bad($i, 'named argument (8.0)');
            }
        }
        // Typed properties: visibility [static] Type $var (7.4).
        if (in_array($id, $vis, true) && $top === null) {
            $j = $i + 1;
            while ($j < $n && in_array($toks[$j][0], $vis, true)) {
                $j++;
            }
            if ($j < $n && ($toks[$j][0] === '?' || in_array($toks[$j][0], $typeTok, true)) &&
                $j + 1 < $n && ($toks[$j + 1][0] === T_VARIABLE || in_array($toks[$j + 1][0], $typeTok, true))) {
                $k = $j;
                while ($k < $n && ($toks[$k][0] === '?' || in_array($toks[$k][0], $typeTok, true) || $toks[$k][0] === '|')) {
                    $k++;
                }
                if ($k < $n && $toks[$k][0] === T_VARIABLE) {
                    $bad($i, 'typed property (7.4)');
                }
            }
        }
        // Spread inside an array literal [...$a] (7.4).
        if ($id === T_ELLIPSIS && ($prev === '[' || ($prev === ',' && $top !== 'call' && $top !== 'params'))) {
            $bad($i, 'spread in an array literal (7.4)');
        }
        // new in initializers (8.1): "= new" inside a parameter list.
        if ($id === T_NEW && $prev === '=' && $top === 'params') {
            $bad($i, 'new in an initializer (8.1)');
        }
        // Flexible heredoc (7.3): closing marker indented.
        if ($id === T_END_HEREDOC && preg_match('/^\s/', $text)) {
            $bad($i, 'indented heredoc end (7.3)');
        }
    }
    return $out;
}

if (realpath($_SERVER['SCRIPT_FILENAME']) === realpath(__FILE__)) {
    $found = array();
    foreach (array_slice($argv, 1) as $f) {
        $found = array_merge($found, lint72($f));
    }
    foreach ($found as $l) {
        echo $l, "\n";
    }
    exit($found ? 1 : 0);
}
