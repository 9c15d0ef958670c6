"""Break-glass export: the runbooks that matter as one file that opens anywhere.

HTML with nothing fetched from anywhere (styles inline, pictures as data
URIs read through the library's gate), and a PDF made with Qt's own
printing. Qt-free except :mod:`viewer.ui.pdf_export`, which prints the HTML.
"""
