//! Rules that look at one record, a parsed JSON object, as a fine-tuning example: its shape and
//! format (FT200-FT202), its SFT messages (FT210-FT231) and its DPO and RFT parts (FT401-FT407).
//!
//! Each file holds one rule's docs, its fix text and its detection. Which of them run on a record,
//! and in what order, is the record checker's to decide ([`crate::checkers::record`]) and, for the
//! messages of a conversation, the conversation checker's ([`crate::checkers::conversation`]).

pub mod all_weights_zero;
pub mod assistant_first_message;
pub mod consecutive_assistant_messages;
pub mod developer_role;
pub mod double_encoded_tool_arguments;
pub mod dpo_images;
pub mod duplicate_key;
pub mod empty_content;
pub mod extra_top_level_key;
pub mod grader_item_missing;
pub mod identical_preference_outputs;
pub mod image_outside_user_message;
pub mod input_last_message_not_user;
pub mod invalid_content;
pub mod invalid_content_part;
pub mod invalid_messages;
pub mod invalid_preference_output;
pub mod invalid_role;
pub mod invalid_tool_arguments;
pub mod invalid_tool_call;
pub mod invalid_tool_definition;
pub mod invalid_tool_message;
pub mod invalid_tool_schema;
pub mod invalid_weight;
pub mod last_message_not_assistant;
pub mod legacy_function_calling;
pub mod legacy_preference_keys;
pub mod legacy_prompt_completion;
pub mod missing_assistant_message;
pub mod mixed_formats;
pub mod rft_last_message_not_user;
pub mod tool_arguments_mismatch;
pub mod unanswered_tool_call;
pub mod unknown_message_key;
pub mod unknown_record_shape;
pub mod unknown_tool_call_id;
pub mod unsupported_content_part;
pub mod unsupported_strict_schema;
