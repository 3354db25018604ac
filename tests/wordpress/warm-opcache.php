<?php
/*
 * Compiles into Apache's opcache, without running anything, the WordPress core files that a REST
 * request loads, so that this compilation (about 0.5 s of CPU) overlaps with the database start
 * and setup.php instead of delaying the first request by as much. Only speed depends on it: a
 * file that is not compiled here is compiled on first use, as usual.
 *
 * `testbed start` copies this file into STATEDIR/apache and requests it once the server answers;
 * the prefork children share one opcache, so every later request finds it warm. (Not for the PHP
 * CLI: there, opcache_compile_file() declares the functions, and the later require fails with
 * "Cannot redeclare".)
 */

function byline_testbed_warm_opcache( array $extra ) {
	if ( ! function_exists( 'opcache_compile_file' ) || ! @opcache_get_status( false ) ) {
		return 0;
	}
	$wp    = '/usr/share/wordpress';
	$files = array_merge(
		array( "$wp/index.php", "$wp/wp-blog-header.php", "$wp/wp-load.php", "$wp/wp-config.php", "$wp/wp-settings.php" ),
		glob( "$wp/wp-includes/*.php" ) ?: array()
	);
	// The subfolders wp-settings.php loads; not SimplePie, sodium_compat, ID3, customize, ...
	foreach ( array( 'rest-api', 'blocks', 'widgets', 'block-supports', 'sitemaps', 'block-patterns', 'style-engine', 'pomo', 'Requests' ) as $dir ) {
		if ( ! is_dir( "$wp/wp-includes/$dir" ) ) {
			continue;
		}
		$tree = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( "$wp/wp-includes/$dir", FilesystemIterator::SKIP_DOTS ) );
		foreach ( $tree as $file ) {
			if ( substr( (string) $file, -4 ) === '.php' ) {
				$files[] = (string) $file;
			}
		}
	}
	$compiled = 0;
	foreach ( array_merge( $files, $extra ) as $file ) {
		if ( ! opcache_is_script_cached( $file ) && @opcache_compile_file( $file ) ) {
			++$compiled;
		}
	}
	return $compiled;
}

if ( PHP_SAPI !== 'cli' && realpath( $_SERVER['SCRIPT_FILENAME'] ?? '' ) === realpath( __FILE__ ) ) {
	header( 'Content-Type: text/plain' );
	echo byline_testbed_warm_opcache( array( '/usr/share/wordpress/wp-admin/includes/class-wp-site-health.php' ) ), "\n";
}
