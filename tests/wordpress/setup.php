<?php
/*
 * Installs WordPress into an empty database and adds the DipNote fixture. Run by
 * `tests/wordpress/testbed start` through the PHP CLI (Debian 12 has no wp-cli):
 *
 *   php setup.php CONFIG_NAME BASE_URL LOGIN_PASSWORD
 *
 * CONFIG_NAME selects /etc/wordpress/config-CONFIG_NAME.php, exactly as `SetEnv WORDPRESS_CONFIG`
 * does under Apache. On success it prints KEY=VALUE lines on stdout (and nothing else there);
 * PHP warnings and notices go to stderr. Mail and every HTTP request (including the permalink
 * self-test of wp_install()) are short-circuited: there is no mail server, and no network.
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
if ( count( $argv ) !== 4 || ! preg_match( '/^[a-zA-Z0-9-]+$/', $argv[1] ) ) {
	fwrite( STDERR, "usage: php setup.php CONFIG_NAME BASE_URL LOGIN_PASSWORD\n" );
	exit( 2 );
}
list( , $config_name, $base_url, $login_password ) = $argv;
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

define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

function byline_fail( $what, $error ) {
	$message = is_wp_error( $error ) ? $error->get_error_message() : var_export( $error, true );
	fwrite( STDERR, "setup.php: $what failed: $message\n" );
	exit( 1 );
}

// No mail, no HTTP (pitfall 4), and never write Debian's .htaccess symlink (pitfall 3).
add_filter( 'pre_wp_mail', '__return_true' );
add_filter(
	'pre_http_request',
	function () {
		return new WP_Error( 'byline_testbed_offline', 'No HTTP requests while setting up the test bed.' );
	}
);
add_filter( 'flush_rewrite_rules_hard', '__return_false' );
// A permalink structure that is already set makes wp_install() skip its self-request probe.
$byline_permalinks = function () {
	return '/%postname%/';
};
add_filter( 'pre_option_permalink_structure', $byline_permalinks );

$installed = wp_install( 'DipNote Sandbox', 'editor', 'editor@example.invalid', 0, '', $login_password, '' );
if ( empty( $installed['user_id'] ) ) {
	byline_fail( 'wp_install', $installed );
}
$user_id = (int) $installed['user_id'];

remove_filter( 'pre_option_permalink_structure', $byline_permalinks );
global $wp_rewrite;
$wp_rewrite->set_permalink_structure( '/%postname%/' );
$wp_rewrite->flush_rules( false );

$options = array(
	'blogdescription'             => 'Local WordPress test bed for the DipNote desktop editor',
	'timezone_string'             => 'UTC',
	'gmt_offset'                  => 0,
	'comment_moderation'          => 1,
	'comment_previously_approved' => 0,
	'close_comments_for_old_posts' => 0,
	'thread_comments'             => 1,
	// Nobody to mail: keep WordPress from trying when visitors comment during tests.
	'comments_notify'             => 0,
	'moderation_notify'           => 0,
);
foreach ( $options as $name => $value ) {
	update_option( $name, $value );
}

$updated = wp_update_user(
	array(
		'ID'           => $user_id,
		'display_name' => 'DipNote Editor',
		'nickname'     => 'DipNote Editor',
		'first_name'   => 'DipNote',
		'last_name'    => 'Editor',
	)
);
if ( is_wp_error( $updated ) ) {
	byline_fail( 'wp_update_user', $updated );
}
delete_user_meta( $user_id, 'default_password_nag' );
wp_set_current_user( $user_id );

// Drop the sample content of wp_install_defaults() (post, its comment, pages).
$defaults = get_posts(
	array(
		'post_type'   => array( 'post', 'page' ),
		'post_status' => 'any',
		'numberposts' => -1,
		'fields'      => 'ids',
	)
);
foreach ( $defaults as $default_id ) {
	wp_delete_post( $default_id, true );
}
update_option( 'wp_page_for_privacy_policy', 0 );

$app = WP_Application_Passwords::create_new_application_password( $user_id, array( 'name' => 'Byline tests' ) );
if ( is_wp_error( $app ) ) {
	byline_fail( 'create_new_application_password', $app );
}

// The DipNote fixture.
$category_ids = array();
foreach ( array(
	'Europe and Eurasia' => 'Posts about Europe and Eurasia',
	'Secretary of State' => 'Travels and remarks of the Secretary',
) as $name => $description ) {
	$term = wp_insert_term( $name, 'category', array( 'description' => $description ) );
	if ( is_wp_error( $term ) ) {
		byline_fail( "category $name", $term );
	}
	$category_ids[] = (int) $term['term_id'];
}

$content = <<<'HTML'
<p>Secretary Kerry traveled to Brussels, Belgium, on April 22-23, 2013, for the meeting of NATO foreign ministers, his first as Secretary of State. In the Alliance headquarters he joined the ministers of the 27 other Allies to review the transition in Afghanistan, the crisis in Syria and its spillover into Turkey, and the Alliance's relationship with Russia.</p>
<p>On Afghanistan, the ministers confirmed that Afghan forces will take the lead for security across the whole country this spring, and that NATO's combat mission will end in 2014. The Secretary stressed that the Alliance went in together and will come out together, and that a new mission to train, advise and assist the Afghan forces will follow.</p>
<p>On Syria, the Secretary briefed his colleagues on the support the United States gives the Syrian opposition, and thanked the Allies that deployed Patriot batteries to defend Turkey's border. At the NATO-Russia Council he urged Foreign Minister Lavrov to help bring the regime and the opposition to a political transition.</p>
<p>Between sessions, a Belgian official summed up the mood of the day in two words, first without and then with the accent: « Apres, après ». What comes after 2014 in Afghanistan, and what comes after the fighting in Syria, were the questions every minister carried home.</p>
<p><em>About the Author: David Siefkin writes for DipNote, the U.S. Department of State's official blog.</em></p>
HTML;

$post_id = wp_insert_post(
	array(
		'post_title'     => 'Secretary Kerry Attends NATO Foreign Ministers Meeting in Brussels',
		'post_content'   => $content,
		'post_status'    => 'publish',
		'post_author'    => $user_id,
		'post_date'      => '2013-04-23 14:25:00',
		'post_date_gmt'  => '2013-04-23 14:25:00',
		'post_category'  => $category_ids,
		'tags_input'     => array( 'NATO', 'Brussels', 'Afghanistan', 'Syria' ),
		'comment_status' => 'open',
		'ping_status'    => 'closed',
		'meta_input'     => array( 'byline' => 'David Siefkin' ),
	),
	true
);
if ( is_wp_error( $post_id ) ) {
	byline_fail( 'wp_insert_post', $post_id );
}

$comments = array(
	array(
		'Alivia in India',
		'alivia@example.invalid',
		'2013-04-24 06:42:00',
		'Thank you so much to provide the great information. Thank you so much.',
	),
	array(
		'Michael G.',
		'michaelg@example.invalid',
		'2013-04-24 15:09:00',
		"Kerry's rhetoric: All hat, no cattle.",
	),
	array(
		'Eric in New Mexico',
		'eric@example.invalid',
		'2013-04-29 19:31:00',
		"Mr. Secretary,\n\n"
		. "It is encouraging to see the Alliance's foreign ministers sitting down together again, but the real test of NATO's relevance in 2013 is sitting just beyond its southeastern border. Syria's civil war has already spilled into Turkey, a member state, and the Patriot batteries on the border are a reminder that Article 5 is not an abstraction.\n\n"
		. "NATO's role does not have to mean intervention. It can mean planning for the day the regime collapses, helping secure the chemical weapons stockpiles, supporting the neighbors who carry the burden of more than a million refugees, and making it plain to Damascus that using those weapons would change the calculus for every Ally.\n\n"
		. "Then there is Russia. Moscow keeps shielding Assad at the Security Council while saying it wants a political settlement. The NATO-Russia Council in Brussels is the place to ask Minister Lavrov what Russia is prepared to do, not only what it is prepared to block. If a Geneva conference is to mean anything, Russia has to be part of the pressure rather than part of the problem.\n\n"
		. "I don't envy you the job. But I would rather see diplomacy done hard and in the open than watch the Alliance drift while Syria burns.",
	),
	array(
		'Ashim C. in India',
		'ashim@example.invalid',
		'2013-04-30 04:55:00',
		'Dear Secretary Kerry, greetings from Kolkata. I have followed your travels since you took office and I appreciate that you visit allies in person rather than only speaking on the telephone. The meeting in Brussels shows that the transatlantic partnership is still the backbone of international security, but I hope the ministers remember that the world beyond Europe is watching how NATO finishes its mission in Afghanistan. For us in South Asia the transition in 2014 is not a distant policy question: it affects the stability of the whole region, the trade routes, and the safety of ordinary families.'
		. "\n\n"
		. 'Please make sure that the Afghan security forces receive training and funding after the combat mission ends, and that neighbors such as India and Pakistan are consulted. Cooperation on counter-terrorism, on development and on education for girls will do more for peace than any single military operation. Thank you for listening to voices from outside the Alliance, and best wishes for the rest of your journey.',
	),
);
$comment_ids = array();
foreach ( $comments as $comment ) {
	list( $author, $email, $date, $text ) = $comment;
	$comment_id = wp_insert_comment(
		array(
			'comment_post_ID'      => $post_id,
			'comment_author'       => $author,
			'comment_author_email' => $email,
			'comment_author_url'   => '',
			'comment_author_IP'    => '127.0.0.1',
			'comment_agent'        => 'byline-testbed seed',
			'comment_date'         => $date,
			'comment_date_gmt'     => $date,
			'comment_content'      => $text,
			'comment_approved'     => '0',
			'comment_type'         => 'comment',
			'comment_parent'       => 0,
			'user_id'              => 0,
		)
	);
	if ( ! $comment_id ) {
		byline_fail( "comment by $author", $comment_id );
	}
	$comment_ids[] = $comment_id;
}

printf( "BYLINE_WP_APP_PASSWORD=%s\n", WP_Application_Passwords::chunk_password( $app[0] ) );
printf( "BYLINE_WP_POST_ID=%d\n", $post_id );
printf( "BYLINE_WP_COMMENT_IDS=%s\n", implode( ',', $comment_ids ) );
printf( "BYLINE_WP_CATEGORY_IDS=%s\n", implode( ',', $category_ids ) );
