/**
 * Tool names of widely installed MCP servers (the reference servers, GitHub, Slack, browsers,
 * databases, shells, mail): a name a letter or two away from one of these is a typosquat, and a
 * description that tells the model how to use one of them reaches into another server.
 */
export const WELL_KNOWN_TOOLS: readonly string[] = [
  // filesystem
  'read_file', 'read_text_file', 'read_media_file', 'read_multiple_files', 'write_file', 'edit_file', 'create_directory', 'list_directory',
  'list_directory_with_sizes', 'directory_tree', 'move_file', 'search_files', 'get_file_info', 'list_allowed_directories', 'delete_file',
  'list_files', 'copy_file',
  // git and GitHub
  'git_status', 'git_diff', 'git_diff_staged', 'git_diff_unstaged', 'git_commit', 'git_add', 'git_reset', 'git_log', 'git_create_branch',
  'git_checkout', 'git_show', 'git_branch', 'git_push', 'git_pull', 'git_clone', 'create_issue', 'update_issue', 'get_issue', 'list_issues',
  'search_issues', 'add_issue_comment', 'create_pull_request', 'get_pull_request', 'list_pull_requests', 'merge_pull_request',
  'create_pull_request_review', 'get_file_contents', 'create_or_update_file', 'push_files', 'search_repositories', 'create_repository',
  'fork_repository', 'create_branch', 'list_commits', 'search_code', 'search_users', 'get_me', 'list_branches', 'get_commit',
  // Slack and chat
  'slack_list_channels', 'slack_post_message', 'slack_reply_to_thread', 'slack_add_reaction', 'slack_get_channel_history',
  'slack_get_thread_replies', 'slack_get_users', 'slack_get_user_profile', 'send_message', 'list_chats', 'get_chat', 'list_messages',
  'search_messages', 'post_message', 'send_slack_message', 'discord_send_message', 'telegram_send_message', 'send_whatsapp_message',
  // mail and calendar
  'send_email', 'read_email', 'search_emails', 'list_emails', 'draft_email', 'reply_email', 'delete_email', 'gmail_send_email',
  'gmail_search', 'create_event', 'list_events', 'update_event', 'delete_event', 'get_events',
  // browsers
  'browser_navigate', 'browser_click', 'browser_type', 'browser_snapshot', 'browser_take_screenshot', 'browser_close', 'browser_evaluate',
  'browser_fill_form', 'browser_press_key', 'browser_wait_for', 'puppeteer_navigate', 'puppeteer_screenshot', 'puppeteer_click',
  'puppeteer_fill', 'puppeteer_select', 'puppeteer_hover', 'puppeteer_evaluate', 'playwright_navigate', 'playwright_screenshot',
  // web and search
  'fetch', 'fetch_url', 'web_search', 'search_web', 'brave_web_search', 'brave_local_search', 'tavily_search', 'tavily_extract',
  'google_search', 'perplexity_ask', 'firecrawl_scrape', 'firecrawl_search', 'exa_search', 'web_fetch', 'http_request',
  // memory and thinking
  'create_entities', 'create_relations', 'add_observations', 'delete_entities', 'delete_observations', 'delete_relations', 'read_graph',
  'search_nodes', 'open_nodes', 'sequentialthinking', 'sequential_thinking', 'store_memory', 'retrieve_memory',
  // databases
  'query', 'read_query', 'write_query', 'create_table', 'list_tables', 'describe_table', 'append_insight', 'execute_sql', 'run_sql',
  'list_schemas', 'get_schema', 'list_databases', 'list_collections', 'find_documents', 'insert_documents',
  // shells and code
  'execute_command', 'run_command', 'run_shell_command', 'shell_exec', 'bash', 'run_terminal_cmd', 'execute_code', 'run_python', 'exec',
  'terminal', 'run_script',
  // time, maps, the everything server
  'get_current_time', 'convert_time', 'maps_geocode', 'maps_reverse_geocode', 'maps_search_places', 'maps_directions', 'get_weather',
  'get_forecast', 'get_alerts', 'echo', 'add', 'longRunningOperation', 'printEnv', 'sampleLLM', 'getTinyImage', 'annotatedMessage',
  // clouds and trackers
  'list_projects', 'get_project', 'create_project', 'list_buckets', 'get_object', 'put_object', 'list_pods', 'kubectl_get',
  'docker_run', 'list_containers', 'jira_create_issue', 'jira_search', 'jira_get_issue', 'linear_create_issue', 'linear_search_issues',
  'notion_search', 'notion_create_page', 'create_page', 'search_pages', 'stripe_create_payment', 'create_customer', 'list_customers',
  'create_payment_link', 'sentry_get_issue', 'upload_file', 'download_file', 'translate_text', 'get_stock_price', 'calculator',
]
