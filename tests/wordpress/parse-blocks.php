<?php
/*
 * Prints the blocks WordPress's own parse_blocks() finds in a post's stored content, and the
 * content as the site shows it (the_content filters), as JSON: {"blocks": a list of {"name",
 * "attrs", "html", "inner"} (name is null for the text between blocks, which WordPress shows as
 * a Classic block when it holds more than white space), "rendered": the HTML}. Run by the tests
 * through the PHP CLI, as setup.php is:
 *
 *   php parse-blocks.php CONFIG_NAME BASE_URL POST_ID
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
if ( count( $argv ) !== 4 || ! preg_match( '/^[a-zA-Z0-9-]+$/', $argv[1] ) ) {
	fwrite( STDERR, "usage: php parse-blocks.php CONFIG_NAME BASE_URL POST_ID\n" );
	exit( 2 );
}
list( , $config_name, $base_url, $post_id ) = $argv;
$url_parts = parse_url( $base_url );

// What Apache would provide. Debian's wp-config.php reads HTTP_HOST and WORDPRESS_CONFIG.
$_SERVER['WORDPRESS_CONFIG'] = $config_name;
$_SERVER['HTTP_HOST']        = $url_parts['host'] . ':' . $url_parts['port'];
$_SERVER['SERVER_NAME']      = $url_parts['host'];
$_SERVER['SERVER_PORT']      = (string) $url_parts['port'];
$_SERVER['REQUEST_URI']      = '/';
$_SERVER['REQUEST_METHOD']   = 'GET';
$_SERVER['SERVER_PROTOCOL']  = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']      = '127.0.0.1';

require '/usr/share/wordpress/wp-load.php';

$post = get_post( (int) $post_id );
if ( ! $post ) {
	fwrite( STDERR, "parse-blocks.php: there is no post $post_id\n" );
	exit( 1 );
}

function byline_outline( $blocks ) {
	$outline = array();
	foreach ( $blocks as $block ) {
		$outline[] = array(
			'name'  => $block['blockName'],
			'attrs' => (object) $block['attrs'],
			'html'  => $block['innerHTML'],
			'inner' => byline_outline( $block['innerBlocks'] ),
		);
	}
	return $outline;
}

echo wp_json_encode(
	array(
		'blocks'   => byline_outline( parse_blocks( $post->post_content ) ),
		'rendered' => apply_filters( 'the_content', $post->post_content ),
	)
), "\n";
