"""The admin's workbench (role ``admin``): a window of its own with a navigation of screens.

``window.AdminWindow`` holds the navigation and the screens; ``nav.SCREENS`` lists them (each screen
lives in its own module and is built the first time it is shown); ``api.AdminApi`` is the platform
calls they share; ``screen.AdminScreen`` the base each screen builds on (background calls, errors in
words, a status line).
"""
