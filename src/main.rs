fn main() {
    oauth_playground::start();
}
