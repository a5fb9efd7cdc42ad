use leptos::prelude::*;
use oauth_engine::channel::Channel;

/// "front channel" or "back channel", styled so the two are told apart by
/// more than colour (the front channel's border is dashed).
#[component]
pub fn ChannelBadge(channel: Channel) -> impl IntoView {
    let class = match channel {
        Channel::Front => "channel channel--front",
        Channel::Back => "channel channel--back",
    };
    view! { <span class=class>{channel.label()}</span> }
}
